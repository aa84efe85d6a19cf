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
        return toVariant().isConstrained();
    }

    /** {@link A2qConstraint.Variant#parse}. */
    public static A2qVariant parse(String name) {
        return of(A2qConstraint.Variant.parse(name));
    }

    /** {@link A2qConstraint.Variant#cliName}. */
    public String cliName() {
        return toVariant().cliName();
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
