package org.qat4j.datasets;

/**
 * MNIST handwritten digits (LeCun, Bottou, Bengio, Haffner 1998): 60,000 training and 10,000 test
 * 28×28 grey-scale images of 10 digits. Found in {@code optDirectory}, else in
 * {@code /usr/share/datasets/mnist/}, else downloaded into a cache with SHA-1 verification when online.
 */
public final class MnistDataset {

    /** Number of classes. */
    public static final int CLASSES = 10;

    private MnistDataset() {}

    /** A builder preset to MNIST. */
    public static IdxImageDataset.Builder builder() {
        return IdxImageDataset.builder().setSource(IdxSource.MNIST);
    }
}
