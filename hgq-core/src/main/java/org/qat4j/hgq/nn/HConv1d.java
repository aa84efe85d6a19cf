package org.qat4j.hgq.nn;

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

    /** Builder: filters and kernel shape required. */
    public static final class Builder extends ConvBuilder<Builder> {
        private Builder() {
            super(1);
        }

        public HConv1d build() {
            validate("HConv1d");
            return new HConv1d(this);
        }
    }
}
