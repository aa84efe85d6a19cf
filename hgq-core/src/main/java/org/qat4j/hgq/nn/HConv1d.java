package org.qat4j.hgq.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.convolutional.Conv1d;

/**
 * HGQ 1-D convolution (arXiv 2405.00645, §3): input (batch, channels, length), kernel
 * (filters, channels, k); stride, padding and dilation as DJL's {@code Conv1d}. See
 * {@link AbstractHConv} for what is quantized and how EBOPs are counted.
 */
public final class HConv1d extends AbstractHConv {

    private HConv1d(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected int spatialRank() {
        return 1;
    }

    @Override
    protected NDArray apply(NDArray x, NDArray w, NDArray b) {
        return Conv1d.conv1d(x, w, b, stride, padding, dilation, 1).singletonOrThrow();
    }

    /** Builder: filters and kernel shape required. */
    public static final class Builder extends ConvBuilder<Builder> {
        private Builder() {}

        public HConv1d build() {
            validate("HConv1d", 1);
            return new HConv1d(this);
        }
    }
}
