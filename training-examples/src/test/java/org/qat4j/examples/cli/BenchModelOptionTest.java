package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qat bench runtime --model FILE}: the option's refusals, before any benchmark runs. */
class BenchModelOptionTest {

    @Test
    void onlyTheRuntimeBenchmarkTakesAModel(@TempDir Path dir) {
        CliCapture c = CliCapture.run(
                "bench", "checker", "--model", dir.resolve("m.json").toString());
        assertEquals(2, c.code());
        assertTrue(c.err().contains("--model: only the runtime benchmark takes a model, not 'checker'"), c.err());
    }

    @Test
    void aMissingOrMalformedModelFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.json");
        CliCapture c = CliCapture.run("bench", "runtime", "--model", missing.toString());
        assertEquals(3, c.code());
        assertTrue(c.err().contains("--model " + missing + ": no such file"), c.err());
        Path junk = Files.writeString(dir.resolve("junk.json"), "{\"format\": 1}");
        CliCapture j = CliCapture.run("bench", "runtime", "--model", junk.toString());
        assertEquals(3, j.code());
        assertTrue(j.err().contains("--model " + junk + ": not a valid integer model"), j.err());
        assertTrue(!j.err().contains("\tat "), "no stack trace: " + j.err());
    }
}
