package org.qat4j.ptq.kernel;

import org.qat4j.a2q.kernel.L1BallProjection;
import org.qat4j.runtime.bound.AccumulatorBudget;

/**
 * Greedy error-correcting quantization of one layer, GPFQ-style (Lybrand and Saab, arXiv 2201.11113, Alg. 1;
 * Zhang et al. arXiv 2203.15111), with AXE's accumulator constraint when an accumulator width is given
 * (Colbert et al., arXiv 2409.17092, Alg. 1 with §4's soft thresholds and running budgets).
 *
 * <p>Per output channel c, with calibration inputs X (float model, columns X_t) and X̃ (quantized prefix,
 * columns X̃_t), the running error {@code u ∈ R^n} starts at 0 and the input columns are quantized in order:
 * <pre>
 *   y_t = ⟨X̃_t, u + w_t·X_t⟩ / ‖X̃_t‖² / s_c                 (the best real value for this column, in units of s_c)
 *   AXE:  y_t ← sign(y_t)·max(|y_t| − θ_c, 0),  y_t ← clamp(y_t, budget.low, budget.high)
 *   q_t = clamp(rint(y_t), −(2^(M−1)−1), 2^(M−1)−1)
 *   u  ← u + w_t·X_t − s_c·q_t·X̃_t
 * </pre>
 * θ_c is the soft threshold of the Euclidean projection (Duchi et al. 2008) of the zero-centred integer-domain
 * row {@code w_c/s_c − mean} onto the L1 ball of radius {@code (2^P − 2)/(x_max − x_min)}, which is A2Q+'s
 * {@code T+} (arXiv 2401.10432, EP-init). The budget ({@link AccumulatorBudget}) is exact integer arithmetic,
 * so every channel's worst-case partial sums lie within {@code ±(2^(P−1)−1)} and its sign halves within
 * {@code T+/2} whatever the data: the layer carries an A2Q+ certificate at P. Unlike A2Q+ training the mean is
 * not discarded from the weights (the float model's function is the target); it only centres θ.
 */
public final class GreedyPathFollowing {

    /** Accumulator settings of AXE; null in {@link #quantize} for plain GPFQ. */
    public record Accumulator(int accumulatorBits, int inputBits, boolean inputSigned) {
        /** Validates by building a budget. */
        public Accumulator {
            new AccumulatorBudget(accumulatorBits, inputBits, inputSigned);
        }

        double l1Radius() {
            // x_max − x_min = 2^N − 1 for signed and unsigned N-bit inputs alike
            return (Math.pow(2, accumulatorBits) - 2) / ((1L << inputBits) - 1);
        }
    }

    private GreedyPathFollowing() {}

    /**
     * @param w float weights, {@code [C][K]}
     * @param scale the per-channel weight scale s_c, {@code > 0}
     * @param xFloat float-model inputs, row-major {@code [n][K]}
     * @param xQuant quantized-prefix inputs (dequantized values), row-major {@code [n][K]}
     * @param n number of calibration samples
     * @param weightBits M
     * @param accumulator AXE's constraint, or null for GPFQ
     * @return integer weights {@code [C][K]}
     */
    public static long[][] quantize(
            double[][] w,
            double[] scale,
            float[] xFloat,
            float[] xQuant,
            int n,
            int weightBits,
            Accumulator accumulator) {
        int c = w.length;
        int k = c == 0 ? 0 : w[0].length;
        if (scale.length != c) {
            throw new IllegalArgumentException("scale has " + scale.length + " channels, weights " + c);
        }
        if (xFloat.length != (long) n * k || xQuant.length != (long) n * k) {
            throw new IllegalArgumentException("inputs must hold n·K = " + n + "·" + k + " values, got " + xFloat.length
                    + " and " + xQuant.length);
        }
        UniformGrid grid = UniformGrid.weights(weightBits);
        double[][] xf = columns(xFloat, n, k);
        double[][] xq = columns(xQuant, n, k);
        double[] norm2 = new double[k];
        for (int t = 0; t < k; t++) {
            for (double v : xq[t]) {
                norm2[t] += v * v;
            }
        }
        long[][] q = new long[c][k];
        double[] u = new double[n];
        for (int ch = 0; ch < c; ch++) {
            if (!(scale[ch] > 0)) {
                throw new IllegalArgumentException("scale[" + ch + "] must be > 0, got " + scale[ch]);
            }
            java.util.Arrays.fill(u, 0);
            AccumulatorBudget budget = accumulator == null
                    ? null
                    : new AccumulatorBudget(
                            accumulator.accumulatorBits(), accumulator.inputBits(), accumulator.inputSigned());
            double theta = accumulator == null ? 0 : threshold(w[ch], scale[ch], accumulator.l1Radius());
            for (int t = 0; t < k; t++) {
                double wt = w[ch][t];
                double[] f = xf[t];
                double[] g = xq[t];
                double y;
                if (norm2[t] > 0) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += g[i] * (u[i] + wt * f[i]);
                    }
                    y = dot / norm2[t] / scale[ch];
                } else {
                    y = wt / scale[ch];
                }
                long qt;
                if (budget != null) {
                    y = Math.signum(y) * Math.max(Math.abs(y) - theta, 0);
                    y = Math.max(budget.low(), Math.min(budget.high(), y));
                    qt = Math.max(grid.qMin(), Math.min(grid.qMax(), (long) Math.rint(y)));
                    budget.add(qt);
                } else {
                    qt = grid.toInteger(y, 1.0);
                }
                q[ch][t] = qt;
                double sq = scale[ch] * qt;
                for (int i = 0; i < n; i++) {
                    u[i] += wt * f[i] - sq * g[i];
                }
            }
        }
        return q;
    }

    /**
     * Per-channel step sizes that let the float weights fit the accumulator budget before any rounding:
     * {@code s_c' = max(s_c, max(Σ w⁺, Σ |w⁻|) / floor(T+/2))}, so that the real-valued integer-domain sign halves
     * {@code Σ w⁺/s'} and {@code Σ |w⁻|/s'} are within the budget of each half. Without it, small steps (from
     * MSE clips) make the budget run out after the first columns and every later column is forced to zero.
     */
    public static double[] budgetScales(double[][] w, double[] scale, Accumulator accumulator) {
        long half = new AccumulatorBudget(
                        accumulator.accumulatorBits(), accumulator.inputBits(), accumulator.inputSigned())
                .high();
        double[] out = new double[w.length];
        for (int c = 0; c < w.length; c++) {
            double pos = 0;
            double neg = 0;
            for (double v : w[c]) {
                if (v > 0) {
                    pos += v;
                } else {
                    neg -= v;
                }
            }
            out[c] = Math.max(scale[c], half == 0 ? Double.MAX_VALUE : Math.max(pos, neg) / half);
        }
        return out;
    }

    /** θ of the L1-ball projection of the zero-centred row {@code w/s − mean} at {@code radius} (0 inside the ball). */
    static double threshold(double[] w, double s, double radius) {
        int k = w.length;
        double mean = 0;
        for (double v : w) {
            mean += v / s;
        }
        mean /= k;
        float[] centred = new float[k];
        for (int i = 0; i < k; i++) {
            centred[i] = (float) (w[i] / s - mean);
        }
        float[] p = L1BallProjection.project(centred, (float) radius);
        double theta = 0;
        for (int i = 0; i < k; i++) {
            if (p[i] != 0) {
                return Math.max(0, Math.abs(centred[i]) - Math.abs(p[i]));
            }
            theta = Math.max(theta, Math.abs(centred[i]));
        }
        return theta;
    }

    private static double[][] columns(float[] x, int n, int k) {
        double[][] out = new double[k][n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                out[t][i] = x[i * k + t];
            }
        }
        return out;
    }
}
