package org.qat4j.datasets;

import ai.djl.training.dataset.Dataset;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * An image classification dataset read from a pair of IDX files (MNIST, Fashion-MNIST): pixels scaled
 * once to {@code x/255} (then optionally standardized as {@code (x/255 − mean)/std}), held as one
 * float array; batches are gathered rows (see {@link TensorDataset}). Samples are {@code (784)} when
 * flattened (the default) or {@code (1, 28, 28)}.
 */
public final class IdxImageDataset extends TensorDataset {

    private final IdxSource source;
    private final Dataset.Usage usage;
    private final Path imagesFile;
    private final Path labelsFile;

    private IdxImageDataset(Builder builder, Path imagesFile, Path labelsFile) {
        super(builder);
        this.source = builder.source;
        this.usage = builder.usage;
        this.imagesFile = imagesFile;
        this.labelsFile = labelsFile;
    }

    /** A builder; {@code setSource} and {@code setSampling} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The dataset this was read from. */
    public IdxSource getSource() {
        return source;
    }

    /** TRAIN or TEST. */
    public Dataset.Usage getUsage() {
        return usage;
    }

    /** The images file read. */
    public Path getImagesFile() {
        return imagesFile;
    }

    /** The labels file read. */
    public Path getLabelsFile() {
        return labelsFile;
    }

    /** Builder in DJL's style: {@code setX} required, {@code optX} optional. */
    public static final class Builder extends TensorDataset.Builder {
        private IdxSource source;
        private Dataset.Usage usage = Dataset.Usage.TRAIN;
        private Path directory;
        private Path cacheDirectory;
        private Boolean offline;
        private int readLimit = Integer.MAX_VALUE;
        private boolean flatten = true;
        private float mean;
        private float std = 1f;

        /** Which dataset (e.g. {@link IdxSource#FASHION_MNIST}). */
        public Builder setSource(IdxSource source) {
            this.source = source;
            return this;
        }

        /** TRAIN (default) or TEST. */
        public Builder optUsage(Dataset.Usage usage) {
            this.usage = usage;
            return this;
        }

        /** A directory holding the IDX files; when set, nothing else is searched. */
        public Builder optDirectory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Where downloads are cached (default: DJL's cache directory + {@code qat4j/datasets/NAME}). */
        public Builder optCacheDirectory(Path cacheDirectory) {
            this.cacheDirectory = cacheDirectory;
            return this;
        }

        /** Forbid or allow downloads (default: DJL's offline mode, {@code ai.djl.offline}). */
        public Builder optOffline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** Reads only the first {@code limit} samples (the file's header is still checked). */
        @Override
        public Builder optLimit(long limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0, got " + limit);
            }
            this.readLimit = (int) Math.min(limit, Integer.MAX_VALUE);
            return this;
        }

        /** {@code true} (default): samples of shape {@code (rows·cols)}; {@code false}: {@code (1, rows, cols)}. */
        public Builder optFlatten(boolean flatten) {
            this.flatten = flatten;
            return this;
        }

        /** Standardize the scaled pixels as {@code (x/255 − mean)/std} (default mean 0, std 1). */
        public Builder optNormalization(float mean, float std) {
            if (!(std > 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
                throw new IllegalArgumentException(
                        "normalization needs a finite mean and std > 0, got mean=" + mean + " std=" + std);
            }
            this.mean = mean;
            this.std = std;
            return this;
        }

        @Override
        public Builder setSampling(int batchSize, boolean random) {
            super.setSampling(batchSize, random);
            return this;
        }

        @Override
        public Builder setSampling(ai.djl.training.dataset.Sampler sampler) {
            super.setSampling(sampler);
            return this;
        }

        /**
         * Locates, reads and normalizes the files.
         *
         * @throws UncheckedIOException wrapping a {@link DataFileException} (malformed file) or an
         *     IOException saying where the files were looked for
         */
        @Override
        public IdxImageDataset build() {
            if (source == null) {
                throw new IllegalArgumentException("setSource(...) is required");
            }
            if (sampler == null) {
                throw new IllegalArgumentException("setSampling(...) is required");
            }
            try {
                return load();
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }

        private IdxImageDataset load() throws IOException {
            Path cache = cacheDirectory != null
                    ? cacheDirectory
                    : Utils.getCacheDir().resolve("qat4j").resolve("datasets").resolve(source.cacheName());
            boolean isOffline = offline != null ? offline : Utils.isOfflineMode();
            IdxFileLocator locator = new IdxFileLocator(source, directory, cache, isOffline);
            Path imagesPath = locator.locate(source.imagesFile(usage));
            Path labelsPath = locator.locate(source.labelsFile(usage));
            IdxImages images = IdxReader.readImages(imagesPath, readLimit);
            byte[] labelBytes = IdxReader.readLabels(labelsPath, readLimit);
            int imageCount = IdxReader.headerCount(imagesPath);
            int labelCount = IdxReader.headerCount(labelsPath);
            if (labelCount != imageCount) {
                throw DataFileException.atOffset(
                        labelsPath,
                        4,
                        "label count " + labelCount + " differs from the image count " + imageCount + " of "
                                + imagesPath);
            }
            float[] pixels = new float[images.pixels().length];
            byte[] raw = images.pixels();
            for (int p = 0; p < raw.length; p++) {
                pixels[p] = ((raw[p] & 0xFF) / 255f - mean) / std;
            }
            float[] labels = new float[labelBytes.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = labelBytes[i] & 0xFF;
            }
            long[] shape =
                    flatten ? new long[] {images.pixelsPerImage()} : new long[] {1, images.rows(), images.cols()};
            setData(pixels, shape, labels);
            return new IdxImageDataset(this, imagesPath, labelsPath);
        }
    }
}
