package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.dataset.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JetTaggingDataTest {

    private static final String[] CLASSES = {"g", "q", "t", "w", "z"};
    private static final int ROWS = 500;

    @TempDir
    Path dir;

    private Path csv;
    private float[][] raw;

    @BeforeEach
    void writeSyntheticJets() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 16; c++) {
            sb.append("f").append(c).append(',');
        }
        sb.append("class\n");
        raw = new float[ROWS][16];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < 16; c++) {
                // Offset, scaled columns like the physics features (masses ~ 100, ratios ~ 0.1).
                raw[r][c] = (float) (c * 10 + random.nextGaussian() * (c + 1));
                sb.append(raw[r][c]).append(',');
            }
            sb.append(CLASSES[r % 5]).append('\n');
        }
        csv = dir.resolve("jets.csv");
        Files.writeString(csv, sb.toString());
    }

    @Test
    void splitsEightyTwentyDisjointAndDeterministic() throws IOException {
        JetTaggingData a = JetTaggingData.builder().setFile(csv).optSeed(42).build();
        JetTaggingData b = JetTaggingData.builder().setFile(csv).optSeed(42).build();
        JetTaggingData c = JetTaggingData.builder().setFile(csv).optSeed(43).build();
        int[] train = a.rows(Dataset.Usage.TRAIN);
        int[] test = a.rows(Dataset.Usage.TEST);
        assertEquals(400, train.length);
        assertEquals(100, test.length);
        BitSet seen = new BitSet();
        for (int r : train) {
            seen.set(r);
        }
        for (int r : test) {
            assertFalse(seen.get(r), "row " + r + " in both splits");
            seen.set(r);
        }
        assertEquals(ROWS, seen.cardinality());
        assertArrayEquals(train, b.rows(Dataset.Usage.TRAIN));
        assertFalse(Arrays.equals(test, c.rows(Dataset.Usage.TEST)));
        assertEquals(List.of(CLASSES), a.classNames());
    }

    @Test
    void standardizesBothSplitsWithTrainStatisticsOnly() throws IOException {
        JetTaggingData data = JetTaggingData.builder().setFile(csv).build();
        int[] train = data.rows(Dataset.Usage.TRAIN);
        int[] test = data.rows(Dataset.Usage.TEST);
        // Reference statistics computed here independently (two-pass, double).
        double[] mean = new double[16];
        double[] std = new double[16];
        for (int c = 0; c < 16; c++) {
            double s = 0;
            for (int r : train) {
                s += raw[r][c];
            }
            mean[c] = s / train.length;
            double v = 0;
            for (int r : train) {
                v += (raw[r][c] - mean[c]) * (raw[r][c] - mean[c]);
            }
            std[c] = Math.sqrt(v / train.length);
            assertEquals(mean[c], data.standardizer().mean()[c], 1e-9 * Math.max(1, Math.abs(mean[c])));
            assertEquals(std[c], data.standardizer().std()[c], 1e-9 * std[c]);
        }
        TensorDataset testSet =
                data.datasetBuilder(Dataset.Usage.TEST).setSampling(32, false).build();
        assertEquals(100, testSet.size());
        for (int i = 0; i < test.length; i++) {
            float[] x = testSet.getFeatures(i);
            for (int c = 0; c < 16; c++) {
                assertEquals((raw[test[i]][c] - mean[c]) / std[c], x[c], 1e-5);
            }
            assertEquals(test[i] % 5, testSet.getLabel(i));
        }
        TensorDataset trainSet =
                data.datasetBuilder(Dataset.Usage.TRAIN).setSampling(32, true).build();
        double sum0 = 0;
        for (int i = 0; i < trainSet.size(); i++) {
            sum0 += trainSet.getFeatures(i)[0];
        }
        assertEquals(0, sum0 / trainSet.size(), 1e-5);
    }

    @Test
    void arffAndCsvGiveTheSameData() throws IOException {
        StringBuilder arff = new StringBuilder("@relation hls4ml_lhc_jets_hlf\n");
        for (int c = 0; c < 16; c++) {
            arff.append("@attribute f").append(c).append(" numeric\n");
        }
        arff.append("@attribute class {g,q,t,w,z}\n@data\n");
        for (String line : Files.readAllLines(csv).subList(1, ROWS + 1)) {
            arff.append(line).append('\n');
        }
        Path file = dir.resolve("jets.arff");
        Files.writeString(file, arff);
        JetTaggingData fromArff = JetTaggingData.builder().setFile(file).build();
        JetTaggingData fromCsv = JetTaggingData.builder().setFile(csv).build();
        assertArrayEquals(fromCsv.rows(Dataset.Usage.TEST), fromArff.rows(Dataset.Usage.TEST));
        TensorDataset a = fromArff.datasetBuilder(Dataset.Usage.TEST)
                .setSampling(10, false)
                .build();
        TensorDataset b = fromCsv.datasetBuilder(Dataset.Usage.TEST)
                .setSampling(10, false)
                .build();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.getFeatures(i), a.getFeatures(i));
            assertEquals(b.getLabel(i), a.getLabel(i));
        }
    }

    @Test
    void wrongShapeIsAClearError() throws IOException {
        Path small = dir.resolve("small.csv");
        Files.writeString(small, "a,b,class\n1,2,g\n3,4,q\n");
        DataFileException e = assertThrows(
                DataFileException.class,
                () -> JetTaggingData.builder().setFile(small).build());
        assertTrue(
                e.getMessage().contains("2 feature columns") && e.getMessage().contains("16 features"), e.getMessage());
    }
}
