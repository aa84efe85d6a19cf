package org.qat4j.ptq.kernel;

/**
 * AdaRound's soft rounding (Nagel et al., arXiv 2004.10568, Eq. 22–24), plain-Java reference of the
 * DJL version used for reconstruction:
 * <pre>
 *   h(V) = clamp(σ(V)·(ζ − γ) + γ, 0, 1),   ζ = 1.1, γ = −0.1
 *   f_reg(V) = Σ 1 − |2h(V) − 1|^β,          β annealed from 20 to 2
 *   W̃ = s · clamp(⌊W/s⌋ + h(V), qMin, qMax),  hard rounding at the end: h = 1[V ≥ 0]
 * </pre>
 * V is initialized so that {@code h(V) = frac(W/s)}: {@code V = −log((ζ − γ)/(frac − γ) − 1)}.
 */
public final class RectifiedSigmoid {

    /** ζ, the stretch above 1. */
    public static final double ZETA = 1.1;
    /** γ, the stretch below 0. */
    public static final double GAMMA = -0.1;

    private RectifiedSigmoid() {}

    /** h(v). */
    public static double h(double v) {
        double s = 1 / (1 + Math.exp(-v));
        return Math.max(0, Math.min(1, s * (ZETA - GAMMA) + GAMMA));
    }

    /** The V with {@code h(V) = frac} for frac ∈ [0, 1) (finite for every such frac). */
    public static double inverse(double frac) {
        if (!(frac >= 0 && frac < 1)) {
            throw new IllegalArgumentException("frac must be in [0, 1), got " + frac);
        }
        return -Math.log((ZETA - GAMMA) / (frac - GAMMA) - 1);
    }

    /** One term of the rounding regularizer, {@code 1 − |2h(v) − 1|^β}. */
    public static double regularizer(double v, double beta) {
        return 1 - Math.pow(Math.abs(2 * h(v) - 1), beta);
    }

    /** The hard rounding decision of the final model: 1 if {@code v ≥ 0} (h(v) ≥ 1/2), else 0. */
    public static int hard(double v) {
        return v >= 0 ? 1 : 0;
    }

    /**
     * β at iteration {@code it} of {@code total}: no regularizer (NaN) during the first {@code warmup} fraction,
     * then linear from {@code start} to {@code end} (AdaRound §5: 20 → 2 after 20% warm-up).
     */
    public static double annealedBeta(int it, int total, double warmup, double start, double end) {
        int warm = (int) Math.round(warmup * total);
        if (it < warm) {
            return Double.NaN;
        }
        double t = total - warm <= 1 ? 1 : (double) (it - warm) / (total - warm - 1);
        return start + (end - start) * Math.min(1, t);
    }
}
