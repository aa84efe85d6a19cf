package org.qat4j.a2q.nn;

/**
 * A 1-D convolution (NCW) with A2Q / A2Q+ / unconstrained integer weights, one dot product of length
 * {@code K = (in/groups)·kw} per output channel and position: {@code out = conv(x_int, q) · (s_x · s_c) + b_c}
 * (A2Q, arXiv 2308.13504, Sec. 4; common part in {@link AbstractQConv}). Weight shape {@code [filters, in/groups, kw]}
 * as DJL's {@code Conv1d}.
 */
public final class QConv1d extends AbstractQConv {

    private QConv1d(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setKernelShape}, {@code setFilters}, {@code setVariant}, {@code setWeightBits} required. */
    public static final class Builder extends ConvBuilder<Builder> {

        public Builder() {
            super(1);
        }

        public QConv1d build() {
            validateConv("QConv1d");
            return new QConv1d(this);
        }
    }
}
