package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals of {@code qat ptq-embedding}: exit code, message naming the option and value, nothing written. */
class EmbeddingPtqCommandTest {

    @Test
    void refusesBadOptionsMissingListsAndAnExistingOut(@TempDir Path tmp) throws Exception {
        CliCapture bad = CliCapture.run("ptq-embedding", "--epochs", "0", "--out", tmp.resolve("a").toString());
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("--epochs must be >= 1, got 0"), bad.err());

        CliCapture noLists = CliCapture.run("ptq-embedding", "--dict", tmp.resolve("nodict").toString(), "--out", tmp.resolve("b").toString());
        assertEquals(ExitCode.INPUT, noLists.code());
        assertTrue(noLists.err().contains("apt-get install -y wamerican wfrench wngerman wspanish witalian"), noLists.err());

        Path existing = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        CliCapture taken = CliCapture.run("ptq-embedding", "--out", existing.toString());
        assertEquals(ExitCode.RUN_REFUSED, taken.code(), taken.err());
        assertTrue(taken.err().contains("--out " + existing), taken.err());
        assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
        assertTrue(!Files.exists(tmp.resolve("a")) && !Files.exists(tmp.resolve("b")));
    }
}
