package org.qat4j.a2q.kernel;

import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Plain-Java reference of {@link WeightNormQuantization} for one output channel: the same float32 element-wise
 * operations in the same order, so that, given the same L1 norm d and mean μ (reductions whose vectorized order
 * plain Java does not reproduce), it yields the same integers bit for bit.
 *
 * <pre>
 *   g' = min(g / s, T);  pre = max(d / g', 1e-10)
 *   A2Q:  q_i = clamp(trunc(v_i / pre))             A2Q+:  q_i = clamp(trunc(v_i / pre + (−μ / pre)))
 *   UNCONSTRAINED:  q_i = clamp(round_half_even(v_i / s))
 * </pre>
 *
 * (arXiv 2308.13504, Eq. 16–18; arXiv 2401.10432, Eq. 11–13.)
 */
public final class WeightNormReference {

    private WeightNormReference() {}

    /** @deprecated use the overload taking {@link Variant}. */
    @Deprecated
    public static long[] integerWeights(
            float[] v, float d, float mu, float g, float s, float bound, int weightBits, A2qVariant variant) {
        return integerWeights(v, d, mu, g, s, bound, weightBits, variant.toVariant());
    }

    /** Integer weights of one channel. {@code d} and {@code mu} are unused where the variant does not need them. */
    public static long[] integerWeights(
            float[] v, float d, float mu, float g, float s, float bound, int weightBits, Variant variant) {
        float qMax = (float) ((1L << (weightBits - 1)) - 1);
        long[] q = new long[v.length];
        if (variant == Variant.UNCONSTRAINED) {
            for (int i = 0; i < v.length; i++) {
                q[i] = (long) clip((float) Math.rint(v[i] / s), qMax);
            }
            return q;
        }
        float pre = preScale(d, g, s, bound);
        float zp = variant == Variant.A2Q_PLUS ? -mu / pre : 0f;
        for (int i = 0; i < v.length; i++) {
            float y = variant == Variant.A2Q_PLUS ? v[i] / pre + zp : v[i] / pre;
            q[i] = (long) clip(truncate(y), qMax);
        }
        return q;
    }

    /** {@code max(d / min(g/s, T), 1e-10)}. */
    public static float preScale(float d, float g, float s, float bound) {
        return Math.max(d / Math.min(g / s, bound), WeightNormQuantization.MIN_VALUE);
    }

    /** Round toward zero: {@code sign(y)·floor(|y|)}. */
    public static float truncate(float y) {
        return y < 0 ? (float) -Math.floor(-y) : (float) Math.floor(y);
    }

    /** ‖v‖₁ summed in double, rounded once to float32 (a well-defined stand-in for the vectorized reduction). */
    public static float l1(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += Math.abs(x);
        }
        return (float) sum;
    }

    /** mean(v) in double, rounded once to float32. */
    public static float mean(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        return (float) (sum / v.length);
    }

    private static float clip(float x, float qMax) {
        return Math.max(-qMax, Math.min(qMax, x));
    }
}
