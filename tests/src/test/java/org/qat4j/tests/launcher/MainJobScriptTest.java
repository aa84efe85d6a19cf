package org.qat4j.tests.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command, {@code ./main-job}: without the data set and without the right to install it,
 * one line says what to run; with the data it trains into a new run directory each time (never into a
 * finished run). The training itself is not run here ({@code QAT_DRY_RUN=1} prints the command).
 */
class MainJobScriptTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private Result run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("main-job").toString())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "main-job did not end");
        return new Result(
                p.exitValue(),
                Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheDataSetOneLineSaysWhatToRun() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-data"));
        Result r = run(Map.of("QAT_FASHION_MNIST", empty.toString(), "QAT_NO_INSTALL", "1", "QAT_DRY_RUN", "1"));
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("run: sudo apt-get install dataset-fashion-mnist"), r.err());
    }

    @Test
    void eachRunGoesToANewDirectory() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("train-images-idx3-ubyte.gz"), "");
        Path runs = dir.resolve("runs");
        Map<String, String> env =
                Map.of("QAT_FASHION_MNIST", data.toString(), "QAT_DRY_RUN", "1", "QAT_RUNS", runs.toString());
        Result first = run(env);
        assertEquals(0, first.code(), first.err());
        assertEquals(
                "./qat train hgq-fashion-mlp --out " + runs.resolve("default") + " --data-dir " + data,
                first.out().strip());
        Files.createDirectories(runs.resolve("default"));
        Files.createDirectories(runs.resolve("default-2"));
        Result third = run(env);
        assertTrue(
                third.out().strip().startsWith("./qat train hgq-fashion-mlp --out " + runs.resolve("default-3")),
                third.out());
    }
}
