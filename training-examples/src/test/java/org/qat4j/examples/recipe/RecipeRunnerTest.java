package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.method.BitStatistics;
import org.qat4j.core.method.LayerBits;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.examples.run.LayerStats;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.runtime.cert.CheckReport;

class RecipeRunnerTest {

    private static final LayerBits DENSE0 =
            new LayerBits("d0", "dense", BitStatistics.uniform(4, 10), BitStatistics.uniform(8, 5));
    private static final LayerBits DENSE1 = new LayerBits("d1", "dense", BitStatistics.uniform(3, 6), null);

    @Test
    void layerStatsTakeTheAccumulatorBitsOfTheCheckerRowsInModelOrder() {
        List<CheckReport.Row> rows = List.of(
                new CheckReport.Row("fc1", "dense", "derived", 2, -5, 9, 5, 32, true),
                new CheckReport.Row("sum", "add", "derived", 1, -1, 1, 2, 8, true),
                new CheckReport.Row("fc2", "dense", "A2Q+", 3, -70, 80, 8, 10, true));
        List<LayerStats> stats = RecipeExport.layerStats(List.of(DENSE0, DENSE1), rows);
        assertEquals(2, stats.size());
        assertEquals("fc1", stats.get(0).name());
        assertEquals(5, stats.get(0).accumulatorBitsNeeded());
        assertEquals(32, stats.get(0).accumulatorBitsDeclared());
        assertEquals(4, stats.get(0).weightBits().max());
        assertEquals("fc2", stats.get(1).name());
        assertEquals(8, stats.get(1).accumulatorBitsNeeded());
        assertEquals(10, stats.get(1).accumulatorBitsDeclared());
    }

    @Test
    void layerStatsKeepBothListsWhenTheyDoNotAlign() {
        List<CheckReport.Row> rows = List.of(new CheckReport.Row("fc1", "dense", "derived", 2, -5, 9, 5, 32, true));
        List<LayerStats> stats = RecipeExport.layerStats(List.of(DENSE0, DENSE1), rows);
        assertEquals(3, stats.size());
        assertNull(stats.get(0).accumulatorBitsNeeded());
        assertEquals("fc1", stats.get(2).name());
        assertEquals(5, stats.get(2).accumulatorBitsNeeded());
    }

    @Test
    void settingsAreValidatedNamingTheField() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new RecipeSettings("r", 1, 0, 1e-3f, 0, 1, null, null, null, null, null));
        assertEquals("batchSize must be >= 1, got 0", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new RecipeSettings("r", 1, 8, Float.NaN, 0, 1, null, null, null, null, null));
        assertEquals("learningRate must be finite and > 0, got NaN", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new RecipeSettings("r", 1, 8, 1e-3f, -1, 1, null, null, null, null, null));
        assertEquals("trainLimit must be >= 0, got -1", e.getMessage());
    }

    @Test
    void resultsTableShowsOneRowPerRunFromItsMetrics(@TempDir Path dir) throws Exception {
        RecipeSettings settings =
                new RecipeSettings("a2q-fashion-cnn", 2, 64, 1e-3f, 12800, 1, "a2q+", 12, null, null, null);
        Path run = dir.resolve("a2q-plus-P12");
        RunMetrics m = new RunMetrics("a2q-fashion-cnn")
                .setEpochs(2)
                .setFloatTestAccuracy(0.8512)
                .setIntegerTestAccuracy(0.8511)
                .setBitExact(10000, 0)
                .setCertificateValid(true)
                .setWallSeconds(95.4)
                .setHistory(List.of(
                        EpochRecord.of(1, 0.5, Double.NaN, 0.8, 200, 40),
                        EpochRecord.of(2, 0.4, Double.NaN, 0.85, 200, 40)));
        m.putExtra("settings", settings).putExtra("trainSamples", 12800).putExtra("testAccuracyAfterInit", 0.713);
        java.nio.file.Files.createDirectories(run);
        m.write(run.resolve("metrics.json"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultsTable.print(List.of(run), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(3, lines.length);
        assertEquals(
                "| a2q-plus-P12 | a2q-fashion-cnn | a2q+ | 12 | – | – | 2 | 12800 | 71.30% | 85.12% | 85.11% | – "
                        + "| 0 / 10000 | valid | 95 |",
                lines[2]);
        assertTrue(lines[0].startsWith("| run | recipe |"));
    }
}
