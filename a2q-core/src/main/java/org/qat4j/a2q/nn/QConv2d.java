package org.qat4j.a2q.nn;

/**
 * A 2-D convolution (NCHW) with A2Q / A2Q+ / unconstrained integer weights, one dot product of length
 * {@code K = (in/groups)·kh·kw} per output channel and position: {@code out = conv(x_int, q) · (s_x · s_c) + b_c}
 * (A2Q, arXiv 2308.13504, Sec. 4; common part in {@link AbstractQConv}). Weight shape
 * {@code [filters, in/groups, kh, kw]} as DJL's {@code Conv2d}.
 */
public final class QConv2d extends AbstractQConv {

    private QConv2d(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setKernelShape}, {@code setFilters}, {@code setVariant}, {@code setWeightBits} required. */
    public static final class Builder extends ConvBuilder<Builder> {

        public Builder() {
            super(2);
        }

        public QConv2d build() {
            validateConv("QConv2d");
            return new QConv2d(this);
        }
    }
}
