package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.RunMetrics;

/** {@code hgq-jets} end to end on a generated CSV shaped like hls4ml_lhc_jets_hlf (16 features, 5 classes). */
class HgqJetsRecipeTest {

    private static final String[] CLASSES = {"g", "q", "t", "w", "z"};

    @Test
    void trainsExportsAndVerifiesOnAJetShapedCsv(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("jets.csv");
        StringBuilder text = new StringBuilder();
        for (int f = 0; f < 16; f++) {
            text.append("f").append(f).append(',');
        }
        text.append("class\n");
        SplittableRandom random = new SplittableRandom(3);
        for (int row = 0; row < 2500; row++) {
            int c = row % CLASSES.length;
            for (int f = 0; f < 16; f++) {
                // class c shifts features c and c + 5 and c + 10: separable, but not trivially
                double shift = f % 5 == c ? 2.0 : 0.0;
                text.append(String.format(Locale.ROOT, "%.5f", 10 * (random.nextGaussian() + shift) + f))
                        .append(',');
            }
            text.append(CLASSES[c]).append('\n');
        }
        Files.writeString(csv, text);
        Path run = dir.resolve("run");
        CliCapture c = CliCapture.run(
                "train",
                "hgq-jets",
                "--data",
                csv.toString(),
                "--epochs",
                "3",
                "--batch-size",
                "64",
                "--out",
                run.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
        assertEquals("hgq-jets", m.getRecipe());
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(500L + 4000L, m.getBitExactInputs()); // the 20% test split plus generated inputs
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertEquals(4, m.getLayers().size());
        assertTrue(m.getIntegerTestAccuracy() > 0.6, "integer accuracy " + m.getIntegerTestAccuracy());
    }

    @Test
    void jetsWithoutDataIsRefusedSayingWhatToGive(@TempDir Path dir) {
        CliCapture c = CliCapture.run("train", "hgq-jets", "--out", dir.toString());
        assertEquals(2, c.code());
        assertTrue(c.err().contains("recipe hgq-jets needs --data FILE"), c.err());
    }
}
