package org.qat4j.datasets;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv 1708.07747): 60,000 training and 10,000 test
 * 28×28 grey-scale images of 10 clothing classes. Found in {@code optDirectory}, else in
 * {@code /usr/share/datasets/fashion-mnist/} (Debian package {@code dataset-fashion-mnist}), else
 * downloaded into a cache with checksum verification when online.
 *
 * <pre>{@code
 * IdxImageDataset train = FashionMnistDataset.builder()
 *         .optUsage(Dataset.Usage.TRAIN).setSampling(256, true).build();
 * }</pre>
 */
public final class FashionMnistDataset {

    /** Number of classes. */
    public static final int CLASSES = 10;

    private FashionMnistDataset() {}

    /** A builder preset to Fashion-MNIST. */
    public static IdxImageDataset.Builder builder() {
        return IdxImageDataset.builder().setSource(IdxSource.FASHION_MNIST);
    }
}
