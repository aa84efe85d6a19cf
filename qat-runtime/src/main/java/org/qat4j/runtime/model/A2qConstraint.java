package org.qat4j.runtime.model;

import java.util.Objects;

/**
 * The accumulator constraint a dense or conv layer was trained under (A2Q, arXiv 2308.13504 §3;
 * A2Q+, arXiv 2401.10432 §3). With accumulator bits P (the layer's {@code accumulatorBits}):
 * A2Q requires {@code ‖q_c‖₁ ≤ T = (2^(P−1) − 1)·2^(σ−N)} per output channel; A2Q+ requires each sign
 * half {@code Q+ ≤ T+/2} and {@code Q− ≤ T+/2} with {@code T+ = (2^P − 2)/(2^N − 1)}. Weights are
 * M-bit narrow range, {@code |q| ≤ 2^(M−1) − 1}.
 *
 * @param variant A2Q or A2Q+
 * @param inputBits N, bits of the layer's integer input
 * @param inputSigned σ, whether the input is signed
 * @param weightBits M, bits of the integer weights
 */
public record A2qConstraint(Variant variant, int inputBits, boolean inputSigned, int weightBits) {

    /** The two accumulator-aware weight normalizations. */
    public enum Variant {
        /** A2Q: L1 norm bound (arXiv 2308.13504). */
        A2Q,
        /** A2Q+: zero-centered, bound on each sign half (arXiv 2401.10432). */
        A2Q_PLUS
    }

    /** Validates N and M. */
    public A2qConstraint {
        Objects.requireNonNull(variant, "constraint.variant");
        if (inputBits < 1 || inputBits > 31) {
            throw new ModelFormatException("constraint.inputBits = " + inputBits + ": must lie in [1, 31]");
        }
        if (weightBits < 2 || weightBits > 31) {
            throw new ModelFormatException("constraint.weightBits = " + weightBits + ": must lie in [2, 31]");
        }
    }
}
