package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.RunMetrics;

class PtqResultsTableTest {

    @TempDir
    Path dir;

    @Test
    void matrixAndPerRunLinesFromMetrics() throws IOException {
        Path floatRun = run(
                "float",
                new RunMetrics("hgq-fashion-cnn")
                        .setEpochs(3)
                        .setFloatTestAccuracy(0.8639)
                        .setWallSeconds(444.1)
                        .putExtra("settings", Map.of("variant", "float")));
        Path ptq = run(
                "gpfq-w4a4",
                new RunMetrics("hgq-fashion-cnn")
                        .setFloatTestAccuracy(0.8606)
                        .setIntegerTestAccuracy(0.8606)
                        .setBitExact(14000, 0)
                        .setCertificateValid(true)
                        .setWallSeconds(689.9)
                        .putExtra("ptq", Map.of("method", "gpfq", "weightBits", 4, "actBits", 4))
                        .putExtra("floatModelTestAccuracy", 0.8639)
                        .putExtra("ptqSeconds", 194.4));
        Path axe = run(
                "axe-w2a4-p16",
                new RunMetrics("hgq-fashion-cnn")
                        .setIntegerTestAccuracy(0.5)
                        .setBitExact(14000, 0)
                        .setCertificateValid(false)
                        .setWallSeconds(10)
                        .putExtra("ptq", Map.of("method", "axe", "weightBits", 2, "actBits", 4, "accBits", 16))
                        .putExtra("ptqSeconds", 3.0));
        Path qat = run(
                "qat-uniform-8",
                new RunMetrics("hgq-fashion-cnn")
                        .setEpochs(3)
                        .setFloatTestAccuracy(0.87)
                        .setIntegerTestAccuracy(0.8650)
                        .setBitExact(14000, 0)
                        .setCertificateValid(true)
                        .setWallSeconds(1500)
                        .putExtra("settings", Map.of("variant", "hgq", "uniformBits", 8)));

        Path stopped = Files.createDirectories(dir.resolve("lapq-w2a4"));

        List<String> lines = print(List.of(floatRun, ptq, axe, stopped, qat));

        assertEquals(
                List.of(
                        "| method | W8A8 | W4A4 | W2A4 |",
                        "|---|---|---|---|",
                        "| float (3 epochs) | 86.39% | 86.39% | 86.39% |",
                        "| gpfq | – | 86.06% | – |",
                        "| axe P=16 | – | – | 50.00% |",
                        "| QAT uniform (3 epochs) | 86.50% | – | – |",
                        "",
                        "| run | method | widths | integer acc. | float model acc. | PTQ / training s | wall s"
                                + " | bit-exact mismatches / inputs | certificate |",
                        "|---|---|---|---|---|---|---|---|---|",
                        "| float | float (3 epochs) | float | – | 86.39% | 444.1 | 444.1 | not exported | – |",
                        "| gpfq-w4a4 | gpfq | W4A4 | 86.06% | 86.39% | 194.4 | 689.9 | 0 / 14000 | valid |",
                        "| axe-w2a4-p16 | axe P=16 | W2A4 | 50.00% | – | 3.0 | 10.0 | 0 / 14000 | INVALID |",
                        "| qat-uniform-8 | QAT uniform (3 epochs) | W8A8 | 86.50% | 87.00% | 1500.0 | 1500.0 | 0 / 14000"
                                + " | valid |",
                        "",
                        "Not finished (no metrics.json): lapq-w2a4"),
                lines);
    }

    @Test
    void aRunOfAnotherKindIsRefusedByName() throws IOException {
        Path other = run("hgq-run", new RunMetrics("hgq-fashion-mlp").putExtra("settings", Map.of("variant", "hgq")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> print(List.of(other)));
        assertTrue(e.getMessage().startsWith(other.toString()), e.getMessage());
    }

    private Path run(String name, RunMetrics metrics) throws IOException {
        Path run = Files.createDirectories(dir.resolve(name));
        metrics.write(run.resolve("metrics.json"));
        return run;
    }

    private static List<String> print(List<Path> runs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            PtqResultsTable.print(runs, out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
