package org.qat4j.core.fixed;

import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Settings of {@link FixedPointOps#fakeQuantize}: the training-time fixed-point quantizer of HGQ (arXiv
 * 2405.00645, Sections 3 and 4), {@code xq = O(R(x * 2^f)) * 2^-f} with straight-through gradients.
 *
 * @param rounding the rounding rule {@code R}
 * @param overflow the overflow rule {@code O}; {@link OverflowMode#WRAP} does not wrap during training
 *     (HGQ2 behaviour, see {@link FixedPointOps#fakeQuantize})
 * @param stochastic whether to round stochastically, {@code floor(y) + [u < frac(y)]} with
 *     {@code u ~ U[0, 1)}; the rounding rule is then ignored
 * @param trainableIntegerBits whether saturated elements pass a gradient to the integer bits {@code i}
 *     through the clip bounds (SAT and SAT_SYM only)
 */
public record FakeQuantizeOptions(
        RoundingMode rounding, OverflowMode overflow, boolean stochastic, boolean trainableIntegerBits) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException naming the field when rounding or overflow is null
     */
    public FakeQuantizeOptions {
        if (rounding == null) {
            throw new IllegalArgumentException("FakeQuantizeOptions.rounding must not be null");
        }
        if (overflow == null) {
            throw new IllegalArgumentException("FakeQuantizeOptions.overflow must not be null");
        }
    }

    /**
     * Returns HGQ's defaults: RND, SAT, deterministic, trainable integer bits.
     *
     * @return the default options
     */
    public static FakeQuantizeOptions defaults() {
        return builder().build();
    }

    /**
     * Returns a builder starting from the defaults (RND, SAT, deterministic, trainable integer bits).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link FakeQuantizeOptions}; every setting is optional. */
    public static final class Builder {

        private RoundingMode rounding = RoundingMode.RND;
        private OverflowMode overflow = OverflowMode.SAT;
        private boolean stochastic;
        private boolean trainableIntegerBits = true;

        private Builder() {}

        /**
         * Sets the rounding rule (default {@link RoundingMode#RND}).
         *
         * @param rounding the rule
         * @return this builder
         */
        public Builder optRounding(RoundingMode rounding) {
            this.rounding = rounding;
            return this;
        }

        /**
         * Sets the overflow rule (default {@link OverflowMode#SAT}).
         *
         * @param overflow the rule
         * @return this builder
         */
        public Builder optOverflow(OverflowMode overflow) {
            this.overflow = overflow;
            return this;
        }

        /**
         * Enables stochastic rounding (default off).
         *
         * @param stochastic true for {@code floor(y) + [u < frac(y)]}
         * @return this builder
         */
        public Builder optStochastic(boolean stochastic) {
            this.stochastic = stochastic;
            return this;
        }

        /**
         * Sets whether saturated elements train the integer bits (default true).
         *
         * @param trainableIntegerBits true to pass the clip bound's gradient to {@code i}
         * @return this builder
         */
        public Builder optTrainableIntegerBits(boolean trainableIntegerBits) {
            this.trainableIntegerBits = trainableIntegerBits;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the field when rounding or overflow is null
         */
        public FakeQuantizeOptions build() {
            return new FakeQuantizeOptions(rounding, overflow, stochastic, trainableIntegerBits);
        }
    }
}
