package org.qat4j.hgq.nn;

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

    /** Builder: filters and kernel shape required. */
    public static final class Builder extends ConvBuilder<Builder> {
        private Builder() {
            super(2);
        }

        public HConv2d build() {
            validate("HConv2d");
            return new HConv2d(this);
        }
    }
}
