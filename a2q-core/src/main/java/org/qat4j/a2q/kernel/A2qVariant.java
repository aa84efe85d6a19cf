package org.qat4j.a2q.kernel;

import org.qat4j.runtime.model.A2qConstraint;

/**
 * Which per-output-channel weight constraint a layer applies.
 *
 * <ul>
 *   <li>{@link #A2Q}: {@code ‖q_c‖₁ ≤ T_A2Q = (2^(P−1)−1)·2^(σ−N)} (arXiv 2308.13504, Eq. 13).</li>
 *   <li>{@link #A2Q_PLUS}: zero-centred weights, {@code Q+, Q− ≤ T_A2Q+/2 = (2^P−2)/(2·(2^N−1))}
 *       (arXiv 2401.10432, Eq. 9).</li>
 *   <li>{@link #UNCONSTRAINED}: plain per-channel M-bit quantization {@code q = clamp(round_half_even(v/s))},
 *       as used for the first and last layers in both papers; the accumulator width is then derived, not bounded.</li>
 * </ul>
 *
 * @deprecated one enum serves training and the model format: use {@link A2qConstraint.Variant}
 *     (same constants, same {@code parse}/{@code cliName}/{@code isConstrained}); {@link #toVariant()}
 *     converts.
 */
@Deprecated
public enum A2qVariant {
    A2Q,
    A2Q_PLUS,
    UNCONSTRAINED;

    /** True for the two accumulator-aware variants. */
    public boolean isConstrained() {
        return this != UNCONSTRAINED;
    }

    /** Parses {@code a2q}, {@code a2q+} / {@code a2q-plus} / {@code a2q_plus}, {@code unconstrained} (any case). */
    public static A2qVariant parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        switch (n) {
            case "a2q":
                return A2Q;
            case "a2q+":
            case "a2q-plus":
            case "a2q_plus":
            case "a2qplus":
                return A2Q_PLUS;
            case "unconstrained":
            case "none":
                return UNCONSTRAINED;
            default:
                throw new IllegalArgumentException(
                        "method must be one of a2q, a2q+, unconstrained; got '" + name + "'");
        }
    }

    /** The command-line spelling: {@code a2q}, {@code a2q+} or {@code unconstrained}. */
    public String cliName() {
        return this == A2Q ? "a2q" : this == A2Q_PLUS ? "a2q+" : "unconstrained";
    }

    /** The same constant of {@link A2qConstraint.Variant}. */
    public A2qConstraint.Variant toVariant() {
        return A2qConstraint.Variant.valueOf(name());
    }

    /** The deprecated twin of {@code v}. */
    public static A2qVariant of(A2qConstraint.Variant v) {
        return valueOf(v.name());
    }
}
