package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.LayerStats;
import org.qat4j.examples.run.RunMetrics;

/** {@code --uniform-bits}: the fixed-format baseline of an HGQ recipe, trained, exported and verified like HGQ. */
class UniformBaselineCommandTest {

    @Test
    void uniformBaselineKeepsEveryFormatAtBBitsThroughTrainingAndExport(@TempDir Path dir) throws Exception {
        Path csv = jetShapedCsv(dir.resolve("jets.csv"), 1500);
        Path run = dir.resolve("u5");
        CliCapture c = CliCapture.run(
                "train",
                "hgq-jets",
                "--data",
                csv.toString(),
                "--uniform-bits",
                "5",
                "--epochs",
                "2",
                "--batch-size",
                "64",
                "--out",
                run.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertEquals(4, m.getLayers().size());
        long ebops = 0;
        for (LayerStats layer : m.getLayers()) {
            // one 5-bit format per input tensor, after two epochs of optimizer steps and the calibration pass
            assertEquals(Map.of(5, 1L), layer.activationBits().histogram(), layer.name());
            // significant bits of a 5-bit signed mantissa: at most 5 (−16 needs all of them)
            assertTrue(layer.weightBits().max() <= 5, layer.name() + " weight bits " + layer.weightBits());
            assertTrue(layer.weightBits().max() >= 3, layer.name() + " weight bits " + layer.weightBits());
            ebops += 5L
                    * Math.round(layer.weightBits().mean() * layer.weightBits().count());
        }
        // EBOPs = Σ b_in·b_w with every b_in = 5 (one format per dense input, shared by its output neurons)
        assertEquals(ebops, m.getEbopsExact());
        Map<?, ?> settings = (Map<?, ?>) m.getExtra().get("settings");
        assertEquals(5, ((Number) settings.get("uniformBits")).intValue());
        assertTrue(m.getIntegerTestAccuracy() > 0.5, "integer accuracy " + m.getIntegerTestAccuracy());
    }

    @Test
    void activationsAtAAndWeightsAtBWithUniformActBits(@TempDir Path dir) throws Exception {
        Path csv = jetShapedCsv(dir.resolve("jets.csv"), 1500);
        Path run = dir.resolve("w3a6");
        CliCapture c = CliCapture.run(
                "train",
                "hgq-jets",
                "--data",
                csv.toString(),
                "--uniform-bits",
                "3",
                "--uniform-act-bits",
                "6",
                "--epochs",
                "1",
                "--batch-size",
                "64",
                "--out",
                run.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        for (LayerStats layer : m.getLayers()) {
            assertEquals(Map.of(6, 1L), layer.activationBits().histogram(), layer.name());
            assertTrue(layer.weightBits().max() <= 3, layer.name() + " weight bits " + layer.weightBits());
        }
        Map<?, ?> settings = (Map<?, ?>) m.getExtra().get("settings");
        assertEquals(3, ((Number) settings.get("uniformBits")).intValue());
        assertEquals(6, ((Number) settings.get("uniformActivationBits")).intValue());
    }

    @Test
    void uniformActBitsAreRefusedAloneByA2qAndOutOfRange(@TempDir Path dir) {
        CliCapture alone =
                CliCapture.run("train", "hgq-fashion-mlp", "--uniform-act-bits", "8", "--out", dir.toString());
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("--uniform-act-bits 8 needs --uniform-bits"), alone.err());
        CliCapture a2q = CliCapture.run("train", "a2q-fashion-cnn", "--uniform-act-bits", "8", "--out", dir.toString());
        assertEquals(2, a2q.code());
        assertTrue(a2q.err().contains("does not take --uniform-act-bits (got 8)"), a2q.err());
        CliCapture range = CliCapture.run(
                "train", "hgq-fashion-mlp", "--uniform-bits", "4", "--uniform-act-bits", "17", "--out", dir.toString());
        assertEquals(2, range.code());
        assertTrue(range.err().contains("--uniform-act-bits must be in [2, 16], got 17"), range.err());
    }

    @Test
    void uniformBitsAreRefusedWithBetaByA2qAndOutOfRange(@TempDir Path dir) {
        CliCapture beta = CliCapture.run(
                "train", "hgq-fashion-mlp", "--uniform-bits", "4", "--beta", "1e-7", "--out", dir.toString());
        assertEquals(2, beta.code());
        assertTrue(beta.err().contains("--beta 1.0E-7 cannot be combined with --uniform-bits 4"), beta.err());
        CliCapture a2q = CliCapture.run("train", "a2q-fashion-cnn", "--uniform-bits", "4", "--out", dir.toString());
        assertEquals(2, a2q.code());
        assertTrue(a2q.err().contains("recipe a2q-fashion-cnn does not take --uniform-bits (got 4)"), a2q.err());
        CliCapture range = CliCapture.run("train", "hgq-fashion-mlp", "--uniform-bits", "1", "--out", dir.toString());
        assertEquals(2, range.code());
        assertTrue(range.err().contains("--uniform-bits must be in [2, 16], got 1"), range.err());
        CliCapture init =
                CliCapture.run("train", "hgq-fashion-mlp", "--init-from", dir.toString(), "--out", dir.toString());
        assertEquals(2, init.code());
        // an HGQ recipe starts only from a PTQ run (HgqInitFromPtqCommandTest)
        assertTrue(init.err().contains("--init-from " + dir + " is not a qat ptq run"), init.err());
    }

    /** 16 standardizable features, 5 classes that shift features c, c + 5, c + 10 (as in HgqJetsRecipeTest). */
    static Path jetShapedCsv(Path csv, int rows) throws Exception {
        String[] classes = {"g", "q", "t", "w", "z"};
        StringBuilder text = new StringBuilder();
        for (int f = 0; f < 16; f++) {
            text.append("f").append(f).append(',');
        }
        text.append("class\n");
        SplittableRandom random = new SplittableRandom(3);
        for (int row = 0; row < rows; row++) {
            int c = row % classes.length;
            for (int f = 0; f < 16; f++) {
                double shift = f % 5 == c ? 2.0 : 0.0;
                text.append(String.format(Locale.ROOT, "%.5f", 10 * (random.nextGaussian() + shift) + f))
                        .append(',');
            }
            text.append(classes[c]).append('\n');
        }
        Files.writeString(csv, text);
        return csv;
    }
}
