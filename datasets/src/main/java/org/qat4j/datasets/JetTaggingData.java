package org.qat4j.datasets;

import ai.djl.training.dataset.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hls4ml LHC jet-tagging set (OpenML {@code hls4ml_lhc_jets_hlf}; Duarte et al. 2018,
 * arXiv 1804.06913; used by HGQ, arXiv 2405.00645 §5): 16 high-level jet features, 5 classes
 * (g, q, t, w, z), read from a user's CSV or ARFF file, split 80/20 by a seeded permutation, and
 * standardized with the mean and standard deviation of the TRAIN split only.
 *
 * <pre>{@code
 * JetTaggingData data = JetTaggingData.builder().setFile(path).optSeed(42).build();
 * TensorDataset train = data.datasetBuilder(Dataset.Usage.TRAIN).setSampling(1024, true).build();
 * }</pre>
 */
public final class JetTaggingData {

    /** Feature count of {@code hls4ml_lhc_jets_hlf}. */
    public static final int FEATURES = 16;
    /** Class count of {@code hls4ml_lhc_jets_hlf}. */
    public static final int CLASSES = 5;

    private final Path file;
    private final LabeledTable table;
    private final int[] trainRows;
    private final int[] testRows;
    private final Standardizer standardizer;
    private final long seed;

    private JetTaggingData(Builder b, LabeledTable table, int[] trainRows, int[] testRows) {
        this.file = b.file;
        this.table = table;
        this.trainRows = trainRows;
        this.testRows = testRows;
        this.seed = b.seed;
        this.standardizer = Standardizer.fit(table.features(), table.columns(), trainRows);
    }

    /** A builder; {@code setFile} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A dataset builder over one split's standardized rows; add sampling and build. */
    public TensorDataset.Builder datasetBuilder(Dataset.Usage usage) {
        int[] rows = rows(usage);
        float[] x = standardizer.apply(table.features(), table.columns(), rows);
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = table.labels()[rows[i]];
        }
        return TensorDataset.builder().setData(x, new long[] {table.columns()}, y);
    }

    /** Row indices (into the file's data rows, 0-based) of a split. */
    public int[] rows(Dataset.Usage usage) {
        if (usage == Dataset.Usage.TRAIN) {
            return trainRows.clone();
        }
        if (usage == Dataset.Usage.TEST) {
            return testRows.clone();
        }
        throw new IllegalArgumentException("usage must be TRAIN or TEST, got " + usage);
    }

    /** Feature names in file order. */
    public List<String> featureNames() {
        return table.featureNames();
    }

    /** Class names; label {@code c} is {@code classNames().get(c)}. */
    public List<String> classNames() {
        return table.classNames();
    }

    /** The train-split statistics used for standardization. */
    public Standardizer standardizer() {
        return standardizer;
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The split seed. */
    public long seed() {
        return seed;
    }

    /** Builder in DJL's style. */
    public static final class Builder {
        private Path file;
        private long seed = 42;
        private double testFraction = 0.2;
        private String labelColumn = "class";
        private boolean checkShape = true;
        private int limit = Integer.MAX_VALUE;

        /** The CSV or ARFF file (optionally gzip-compressed). */
        public Builder setFile(Path file) {
            this.file = file;
            return this;
        }

        /** Seed of the split permutation (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Fraction of rows in the TEST split (default 0.2). */
        public Builder optTestFraction(double testFraction) {
            this.testFraction = testFraction;
            return this;
        }

        /** Name of the label column (default {@code class}; the last column if absent). */
        public Builder optLabelColumn(String labelColumn) {
            this.labelColumn = labelColumn;
            return this;
        }

        /** Whether to insist on 16 features and 5 classes (default true; false for other tables). */
        public Builder optCheckShape(boolean checkShape) {
            this.checkShape = checkShape;
            return this;
        }

        /** Uses only the first {@code limit} rows of the file, before splitting. */
        public Builder optLimit(int limit) {
            if (limit < 2) {
                throw new IllegalArgumentException("limit must be >= 2, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Reads, splits and standardizes. */
        public JetTaggingData build() throws IOException {
            if (file == null) {
                throw new IllegalArgumentException("setFile(...) is required");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
            }
            LabeledTable table = TabularFileReader.read(file, labelColumn);
            if (checkShape && (table.columns() != FEATURES || table.classNames().size() != CLASSES)) {
                throw DataFileException.ofFile(
                        file,
                        "has " + table.columns() + " feature columns and "
                                + table.classNames().size() + " classes " + table.classNames()
                                + "; hls4ml_lhc_jets_hlf has "
                                + FEATURES + " features and " + CLASSES + " classes",
                        null);
            }
            int n = Math.min(table.rows(), limit);
            int test = (int) Math.round(n * testFraction);
            if (test < 1 || test >= n) {
                throw DataFileException.ofFile(
                        file,
                        n + " rows cannot be split with testFraction " + testFraction
                                + " into non-empty train and test sets",
                        null);
            }
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int[] trainRows = java.util.Arrays.copyOfRange(order, 0, n - test);
            int[] testRows = java.util.Arrays.copyOfRange(order, n - test, n);
            return new JetTaggingData(this, table, trainRows, testRows);
        }
    }
}
