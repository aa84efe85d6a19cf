package org.qat4j.examples.recipe;

import ai.djl.training.dataset.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.qat4j.datasets.DataFileException;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.FashionMnistDataset;
import org.qat4j.datasets.IdxImageDataset;

/**
 * Fashion-MNIST (arXiv 1708.07747) as the image recipes use it: pixels scaled to {@code x/255}
 * (so the model input lies in [0, 1] and an 8-bit unsigned input quantizer represents it without
 * loss), the training set limited to the run's {@code --train-limit}, the whole 10,000-image test set.
 */
final class FashionMnistData {

    /** Test batches: large, since evaluation needs no gradient. */
    static final int TEST_BATCH = 500;

    /** Pixels of one Fashion-MNIST image. */
    static final long PIXELS = 28 * 28;

    private FashionMnistData() {}

    /**
     * Reads train and test sets.
     *
     * @param settings the run's settings (train limit, data directory)
     * @param sampler the training set's sampler
     * @param flatten samples of shape (784) when true, (1, 28, 28) otherwise
     */
    static RecipeData load(RecipeSettings settings, EpochSeededSampler sampler, boolean flatten) throws IOException {
        Path directory = settings.dataDirectoryPath();
        try {
            IdxImageDataset.Builder train = FashionMnistDataset.builder()
                    .optUsage(Dataset.Usage.TRAIN)
                    .optFlatten(flatten)
                    .setSampling(sampler);
            IdxImageDataset.Builder test = FashionMnistDataset.builder()
                    .optUsage(Dataset.Usage.TEST)
                    .optFlatten(flatten)
                    .setSampling(TEST_BATCH, false);
            if (directory != null) {
                train.optDirectory(directory);
                test.optDirectory(directory);
            }
            if (settings.trainLimit() > 0) {
                train.optLimit(settings.trainLimit());
            }
            IdxImageDataset trainSet = train.build();
            IdxImageDataset testSet = test.build();
            checkImageSize(trainSet);
            checkImageSize(testSet);
            return new RecipeData(trainSet, testSet, FashionMnistDataset.CLASSES);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The recipes' networks take 28×28 images: another size in a file's header is that file's fault. */
    private static void checkImageSize(IdxImageDataset set) throws DataFileException {
        long pixels = set.getSampleShape().size();
        if (pixels != PIXELS) {
            throw DataFileException.atOffset(
                    set.getImagesFile(),
                    8,
                    "images of " + pixels + " pixels (rows × columns in the header); Fashion-MNIST images are 28×28 = "
                            + PIXELS);
        }
    }
}
