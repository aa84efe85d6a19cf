package org.qat4j.hgq.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.convolutional.Conv2d;

/**
 * HGQ 2-D convolution (arXiv 2405.00645, §3): input (batch, channels, height, width), kernel
 * (filters, channels, kh, kw); stride, padding and dilation as DJL's {@code Conv2d}. See
 * {@link AbstractHConv} for what is quantized and how EBOPs are counted.
 */
public final class HConv2d extends AbstractHConv {

    private HConv2d(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected int spatialRank() {
        return 2;
    }

    @Override
    protected NDArray apply(NDArray x, NDArray w, NDArray b) {
        return Conv2d.conv2d(x, w, b, stride, padding, dilation, 1).singletonOrThrow();
    }

    /** Builder: filters and kernel shape required. */
    public static final class Builder extends ConvBuilder<Builder> {
        private Builder() {}

        public HConv2d build() {
            validate("HConv2d", 2);
            return new HConv2d(this);
        }
    }
}
