package org.qat4j.a2q.kernel;

/**
 * Plain-Java reference of {@link ActivationFakeQuantization}: the forward value in the same float32 operations and
 * the closed-form LSQ gradients (Esser et al., arXiv 1902.08153, Eq. 3, without the gradient scale):
 *
 * <pre>
 *   r = round_half_even(x / s),  q = clamp(r, lo, hi),  m = [lo &lt; r ≤ hi]
 *   out = q · s,   ∂out/∂x = m,   ∂L/∂s = Σ_i grad_i · (q_i − m_i · x_i / s)
 * </pre>
 */
public final class ActivationFakeQuantizationReference {

    private ActivationFakeQuantizationReference() {}

    /** {@code round_half_even(x / s)} in float32 (not clamped). */
    public static float rounded(float x, float s) {
        return (float) Math.rint(x / s);
    }

    /** The forward value {@code clamp(round(x / s), lo, hi) · s}, element by element. */
    public static float[] forward(float[] x, float s, float lo, float hi) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.max(lo, Math.min(hi, rounded(x[i], s))) * s + 0f; // + 0f: a zero is +0 as in the kernel
        }
        return out;
    }

    /** ∂out_i/∂x_i: 1 where {@code lo < r ≤ hi}, else 0. */
    public static float[] gradX(float[] x, float s, float lo, float hi) {
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float r = rounded(x[i], s);
            g[i] = r > lo && r <= hi ? 1f : 0f;
        }
        return g;
    }

    /** ∂L/∂s for the upstream gradient {@code grad}, summed in double. */
    public static double gradScale(float[] x, float s, float lo, float hi, float[] grad) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            float r = rounded(x[i], s);
            double q = Math.max(lo, Math.min(hi, r));
            double m = r > lo && r <= hi ? 1 : 0;
            sum += grad[i] * (q - m * (double) x[i] / s);
        }
        return sum;
    }
}
