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

    /**
     * The per-output-channel weight constraint of a layer: the two accumulator-aware weight
     * normalizations, and {@link #UNCONSTRAINED} for training's plain per-channel M-bit weights (first
     * and last layers in both papers), whose accumulator width is derived, not bounded. A model file's
     * constraint is always A2Q or A2Q+; one enum serves training and the format.
     */
    public enum Variant {
        /** A2Q: L1 norm bound (arXiv 2308.13504). */
        A2Q,
        /** A2Q+: zero-centered, bound on each sign half (arXiv 2401.10432). */
        A2Q_PLUS,
        /** No accumulator constraint (training only; never in a model file). */
        UNCONSTRAINED;

        /** True for the two accumulator-aware variants. */
        public boolean isConstrained() {
            return this != UNCONSTRAINED;
        }

        /** Parses {@code a2q}, {@code a2q+} / {@code a2q-plus} / {@code a2q_plus}, {@code unconstrained} (any case). */
        public static Variant parse(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (n) {
                case "a2q" -> A2Q;
                case "a2q+", "a2q-plus", "a2q_plus", "a2qplus" -> A2Q_PLUS;
                case "unconstrained", "none" -> UNCONSTRAINED;
                default ->
                    throw new IllegalArgumentException(
                            "method must be one of a2q, a2q+, unconstrained; got '" + name + "'");
            };
        }

        /** The command-line spelling: {@code a2q}, {@code a2q+} or {@code unconstrained}. */
        public String cliName() {
            return this == A2Q ? "a2q" : this == A2Q_PLUS ? "a2q+" : "unconstrained";
        }
    }

    /** Validates N and M. */
    public A2qConstraint {
        Objects.requireNonNull(variant, "constraint.variant");
        if (!variant.isConstrained()) {
            throw new ModelFormatException("constraint.variant = " + variant + ": a constraint is A2Q or A2Q+");
        }
        if (inputBits < 1 || inputBits > 31) {
            throw new ModelFormatException("constraint.inputBits = " + inputBits + ": must lie in [1, 31]");
        }
        if (weightBits < 2 || weightBits > 31) {
            throw new ModelFormatException("constraint.weightBits = " + weightBits + ": must lie in [2, 31]");
        }
    }
}
