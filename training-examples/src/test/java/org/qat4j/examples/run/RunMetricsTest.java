package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.export.RunProvenance;
import org.qat4j.core.method.BitStatistics;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.pareto.ParetoPoint;

class RunMetricsTest {

    @TempDir
    Path dir;

    static RunMetrics sample() {
        RunMetrics m = new RunMetrics("hgq-fashion-mlp")
                .setSeed(7)
                .setEpochs(3)
                .setFloatTestAccuracy(0.871)
                .setIntegerTestAccuracy(0.8705)
                .setEbopsExact(123_456L)
                .setBitExact(10_000, 0)
                .setCertificateValid(true)
                .setWallSeconds(312.5);
        m.addLayer(new LayerStats(
                "dense0",
                "dense",
                BitStatistics.of(new int[] {0, 2, 3, 3, 4, 4, 4, 6}),
                BitStatistics.of(new int[] {5, 5, 6, 7}),
                17,
                20));
        m.addLayer(new LayerStats(
                "dense1",
                "dense",
                BitStatistics.of(new int[] {1, 2, 2, 2, 3, 8}),
                BitStatistics.uniform(6, 16),
                14,
                14));
        m.setHistory(List.of(
                EpochRecord.of(1, 1.2, 0.6, 0.7, 235, 30),
                new EpochRecord(2, 0.7, 0.8, 0.82, 235, 29, Map.of("ebops", 200_000.0)),
                new EpochRecord(3, 0.5, 0.86, Double.NaN, 235, 29, Map.of("ebops", 123_456.0))));
        m.addParetoPoint(new ParetoPoint("epoch 2", 0.82, 200_000));
        m.addParetoPoint(new ParetoPoint("epoch 3", 0.87, 123_456));
        m.addParetoPoint(new ParetoPoint("uniform 8-bit", 0.88, 900_000));
        m.addParetoPoint(new ParetoPoint("uniform 4-bit", 0.80, 150_000));
        m.putExtra("beta", 1e-5);
        return m;
    }

    @Test
    void writesTheRequiredKeysAndReadsBack() throws IOException {
        Path file = dir.resolve("metrics.json");
        sample().write(file);
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        for (String key : List.of(
                "recipe",
                "floatTestAccuracy",
                "integerTestAccuracy",
                "ebopsExact",
                "bitExactInputs",
                "bitExactMismatches",
                "certificateValid",
                "wallSeconds",
                "layers")) {
            assertTrue(json.has(key), "metrics.json lacks " + key);
        }
        JsonObject layer = json.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertEquals(17, layer.get("accumulatorBitsNeeded").getAsInt());
        assertEquals(20, layer.get("accumulatorBitsDeclared").getAsInt());
        assertEquals(
                3,
                layer.getAsJsonObject("weightBits")
                        .getAsJsonObject("histogram")
                        .get("4")
                        .getAsInt());
        assertEquals(1, layer.getAsJsonObject("weightBits").get("pruned").getAsInt());

        RunMetrics back = RunMetrics.read(file);
        assertEquals("hgq-fashion-mlp", back.getRecipe());
        assertEquals(123_456L, back.getEbopsExact());
        assertEquals(0L, back.getBitExactMismatches());
        assertEquals(2, back.getLayers().size());
        assertEquals(sample().getLayers(), back.getLayers());
        assertTrue(Double.isNaN(back.getHistory().get(2).validationAccuracy()));
        assertEquals(sample().getHistory().get(1), back.getHistory().get(1));
    }

    @Test
    void paretoPointsKeepTheirFieldsAndProvenanceIsRecorded() throws IOException {
        Path file = dir.resolve("metrics.json");
        String sha = "0123456789abcdef".repeat(4);
        RunProvenance provenance = new RunProvenance(
                "hgq-fashion-mlp",
                7,
                Map.of("epochs", "3"),
                Map.of("train", sha),
                "OpenJDK 64-Bit Server VM 17",
                "PyTorch 2.7.1, DJL 0.36.0");
        sample().setProvenance(provenance).write(file);
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        // metrics.json's point is {label, accuracy, ebops}: a checkpoint's epoch and directory stay out
        JsonObject point = json.getAsJsonArray("pareto").get(1).getAsJsonObject();
        assertEquals(List.of("label", "accuracy", "ebops"), List.copyOf(point.keySet()));
        assertEquals("epoch 3", point.get("label").getAsString());
        assertEquals(123_456.0, point.get("ebops").getAsDouble());
        assertEquals(
                sha,
                json.getAsJsonObject("provenance")
                        .getAsJsonObject("dataSha256")
                        .get("train")
                        .getAsString());

        RunMetrics back = RunMetrics.read(file);
        assertEquals(provenance, back.getProvenance());
        assertEquals(sample().getParetoPoints(), back.getParetoPoints());
        assertEquals(null, RunMetrics.read(write(new RunMetrics("old"))).getProvenance());
    }

    private Path write(RunMetrics m) throws IOException {
        Path file = dir.resolve("old-metrics.json");
        m.write(file);
        return file;
    }

    @Test
    void unsetValuesAreLeftOut() throws IOException {
        Path file = dir.resolve("metrics.json");
        new RunMetrics("a2q-fashion-cnn").setFloatTestAccuracy(0.9).write(file);
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertFalse(json.has("ebopsExact"));
        assertEquals(0.9, json.get("floatTestAccuracy").getAsDouble());
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        RunMetrics m = new RunMetrics("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.setIntegerTestAccuracy(87.1));
        assertTrue(
                e.getMessage().contains("integerTestAccuracy") && e.getMessage().contains("87.1"));
        assertThrows(IllegalArgumentException.class, () -> m.setBitExact(5, 6));
        assertThrows(IllegalArgumentException.class, () -> new RunMetrics(" "));
    }

    @Test
    void malformedFileNamesTheFile() throws IOException {
        Path file = dir.resolve("metrics.json");
        Files.writeString(file, "{\"recipe\": [1,");
        IOException e = assertThrows(IOException.class, () -> RunMetrics.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
