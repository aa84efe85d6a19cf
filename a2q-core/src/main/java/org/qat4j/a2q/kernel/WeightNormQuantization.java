package org.qat4j.a2q.kernel;

import ai.djl.ndarray.NDArray;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Weight-normalization integer weights of A2Q / A2Q+ on NDArrays, with straight-through gradients, in the exact
 * float32 order of the reference implementation (Brevitas).
 *
 * <p>Per output channel c of {@code v} viewed as {@code [C, K]} (arXiv 2308.13504, Sec. 4, Eq. 16–18;
 * arXiv 2401.10432, Sec. 4, Eq. 11–13):
 *
 * <pre>
 *   A2Q:   d_c = ‖v_c‖₁,        y = v / pre_c
 *   A2Q+:  μ_c = mean(v_c),     d_c = ‖v_c − μ_c‖₁,   y = v / pre_c + (−μ_c / pre_c)
 *   g'_c  = min(g_c / s_c, T)                 (clamp in the integer domain)
 *   pre_c = max(d_c / g'_c, 1e-10)
 *   q     = clamp(trunc(y), −(2^(M−1)−1), 2^(M−1)−1)      (round toward zero, narrow range)
 * </pre>
 *
 * Since {@code Σ|y_i| = g'_c ≤ T} and {@code |trunc(y)| ≤ |y|}, the integer L1 norm (A2Q) or each sign half
 * (A2Q+) stays within the bound; round-half-even would not (it can add up to K/2). The gradient of trunc is the
 * identity (straight-through estimator); clamp passes gradients only inside the range. The A2Q+ mean is
 * discarded, never added back. {@link Variant#UNCONSTRAINED} is plain per-channel quantization
 * {@code q = clamp(round_half_even(v / s))}.
 *
 * <p>Temporaries are created in the manager of {@code v}; callers scope it (see the quantizer).
 */
public final class WeightNormQuantization {

    /** Lower clamp of g, s and the pre-scale (reference value). */
    public static final float MIN_VALUE = 1e-10f;

    private WeightNormQuantization() {}

    /** The outputs of one evaluation: the integer weights and the intermediate per-channel values. */
    public record Result(NDArray intWeights, NDArray preScale, NDArray preZeroPoint, NDArray gOverSClamped) {}

    /** @deprecated use the overload taking {@link Variant}. */
    @Deprecated
    public static Result compute(NDArray v, NDArray g, NDArray s, float bound, int weightBits, A2qVariant variant) {
        return compute(v, g, s, bound, weightBits, variant.toVariant());
    }

    /**
     * Computes the integer weights.
     *
     * @param v the float weights viewed as {@code [C, K]}
     * @param g the norm parameter {@code 2^lg} per channel, shape {@code [C, 1]} (ignored for UNCONSTRAINED)
     * @param s the post-scale {@code 2^ls} per channel, shape {@code [C, 1]}
     * @param bound the float32 bound T (see {@link AccumulatorBoundsFloat32}; ignored for UNCONSTRAINED)
     * @param weightBits M
     * @param variant the constraint
     * @return q (integer-valued, the dtype of v) and the pre-scale/zero point (null for UNCONSTRAINED)
     */
    public static Result compute(NDArray v, NDArray g, NDArray s, float bound, int weightBits, Variant variant) {
        if (v.getShape().dimension() != 2) {
            throw new IllegalArgumentException("v must be viewed as [C, K], got shape " + v.getShape());
        }
        float qMax = (float) ((1L << (weightBits - 1)) - 1);
        if (variant == Variant.UNCONSTRAINED) {
            NDArray q = steClamped(v.div(s), false, qMax);
            return new Result(q, null, null, null);
        }
        NDArray gOverS = g.div(s);
        gOverS = gOverS.minimum(NativeArrays.fullLike(gOverS, bound));
        NDArray y;
        NDArray pre;
        NDArray zeroPoint = null;
        if (variant == Variant.A2Q) {
            NDArray d = v.norm(1, new int[] {1}, true);
            pre = d.div(gOverS);
            pre = pre.maximum(NativeArrays.fullLike(pre, MIN_VALUE));
            y = v.div(pre);
        } else {
            NDArray mu = v.mean(new int[] {1}, true);
            NDArray d = v.sub(mu).norm(1, new int[] {1}, true);
            pre = d.div(gOverS);
            pre = pre.maximum(NativeArrays.fullLike(pre, MIN_VALUE));
            zeroPoint = mu.neg().div(pre);
            y = v.div(pre).add(zeroPoint);
        }
        NDArray q = steClamped(y, true, qMax);
        return new Result(q, pre, zeroPoint, gOverS);
    }

    /**
     * {@code clamp(trunc(y))} (or round-half-even) with a straight-through gradient that passes where the
     * rounded value lies inside {@code [−qMax, qMax]}: two recorded ops, {@code t = y·m} and {@code t + (q − t)}
     * with {@code q − t} computed unrecorded. Bit for bit the value of {@code clip(y + (r − y).detach())}: where
     * m = 1, {@code r − y} is exact (r = 0, or r and y within a factor of 2: Sterbenz), so {@code y + (r − y)} is
     * r, with +0 for a zero; where m = 0, {@code ±0 + (±qMax ∓ 0)} is ±qMax.
     */
    static NDArray steClamped(NDArray y, boolean towardZero, float qMax) {
        boolean tracked = AutogradState.isRecording();
        NDArray q;
        NDArray inside;
        try (NoGradScope ignored = NoGradScope.open()) {
            NDArray yd = y.stopGradient();
            NDArray r = towardZero ? yd.trunc() : yd.round();
            // maximum/minimum, not clip(Number, Number): the latter is an unvectorized kernel on CPU
            q = r.maximum(NativeArrays.fullLike(y, -qMax)).minimum(NativeArrays.fullLike(y, qMax));
            if (!tracked) {
                return q.addi(0f); // trunc(−0.4) is −0; the straight-through sum gives +0
            }
            inside = r.eq(q).toType(y.getDataType(), false);
        }
        NDArray t = y.mul(inside);
        try (NoGradScope ignored = NoGradScope.open()) {
            q.subi(t.stopGradient());
        }
        return t.addi(q);
    }

    /** {@code 2^param} clamped below at 1e-10, the float32 recomputation of g and s from their log2 parameters. */
    public static NDArray pow2Clamped(NDArray log2Param) {
        NDArray two = NativeArrays.fullLike(log2Param, 2f);
        if (log2Param.getDataType() != two.getDataType()) {
            two = two.toType(log2Param.getDataType(), false);
        }
        NDArray p = two.pow(log2Param);
        return p.maximum(NativeArrays.fullLike(p, MIN_VALUE));
    }
}
