package org.qat4j.ptq.kernel;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.qat4j.runtime.bound.AccumulatorBudget;

/**
 * GPTQ-style quantization of one layer (Frantar et al., arXiv 2210.17323, Alg. 1: Hessian-based error
 * compensation), with AXE's accumulator constraint when an accumulator width is given (Colbert et al.,
 * arXiv 2409.17092, the GPTQ variant of Alg. 1; Brevitas' {@code A2GPTQ} is the reference implementation).
 *
 * <p>With the layer's calibration inputs X̃ (through the already-quantized prefix, rows are samples), the proxy
 * Hessian is {@code H = X̃ᵀX̃ + λI} with GPTQ's damping {@code λ = 0.01·mean(diag X̃ᵀX̃)}; U is the upper Cholesky
 * factor of {@code H⁻¹} (Commons Math's {@link CholeskyDecomposition}, twice). Per output channel c, columns are
 * quantized in order and each one's rounding error is spread over the columns not yet quantized:
 * <pre>
 *   y_t = w_t / s_c                                   (w is the running, error-compensated row)
 *   AXE:  y_t ← sign(y_t)·max(|y_t| − θ_c, 0),  y_t ← clamp(y_t, budget.low, budget.high)
 *   q_t = clamp(rint(y_t), −(2^(M−1)−1), 2^(M−1)−1)
 *   e   = (w_t − s_c·q_t) / U_tt,   w_j ← w_j − e·U_tj  for j > t
 * </pre>
 * θ_c and the exact running budget are those of {@link GreedyPathFollowing} (A2Q+'s T+ and sign halves), so every
 * channel carries the same A2Q+ certificate at P. Columns whose inputs are all zero get {@code H_tt = 1} and weight 0,
 * as in GPTQ.
 */
public final class HessianErrorCompensation {

    /** GPTQ's default damping, as a fraction of the mean diagonal of X̃ᵀX̃. */
    public static final double DAMPING = 0.01;

    private HessianErrorCompensation() {}

    /**
     * @param w float weights, {@code [C][K]} (not modified)
     * @param scale the per-channel weight scale s_c, {@code > 0}
     * @param xQuant quantized-prefix inputs (dequantized values), row-major {@code [n][K]}
     * @param n number of calibration rows
     * @param weightBits M
     * @param accumulator AXE's constraint, or null for plain GPTQ
     * @return integer weights {@code [C][K]}
     */
    public static long[][] quantize(
            double[][] w,
            double[] scale,
            float[] xQuant,
            int n,
            int weightBits,
            GreedyPathFollowing.Accumulator accumulator) {
        int c = w.length;
        int k = c == 0 ? 0 : w[0].length;
        if (scale.length != c) {
            throw new IllegalArgumentException("scale has " + scale.length + " channels, weights " + c);
        }
        if (xQuant.length != (long) n * k) {
            throw new IllegalArgumentException(
                    "inputs must hold n·K = " + n + "·" + k + " values, got " + xQuant.length);
        }
        double[][] h = hessian(xQuant, n, k);
        boolean[] dead = new boolean[k];
        for (int t = 0; t < k; t++) {
            if (h[t][t] == 0) {
                dead[t] = true;
                h[t][t] = 1;
            }
        }
        double[][] u = upperCholeskyOfInverse(h);
        UniformGrid grid = UniformGrid.weights(weightBits);
        long[][] q = new long[c][k];
        double[] row = new double[k];
        for (int ch = 0; ch < c; ch++) {
            if (!(scale[ch] > 0)) {
                throw new IllegalArgumentException("scale[" + ch + "] must be > 0, got " + scale[ch]);
            }
            for (int t = 0; t < k; t++) {
                row[t] = dead[t] ? 0 : w[ch][t];
            }
            AccumulatorBudget budget = accumulator == null
                    ? null
                    : new AccumulatorBudget(
                            accumulator.accumulatorBits(), accumulator.inputBits(), accumulator.inputSigned());
            double theta =
                    accumulator == null ? 0 : GreedyPathFollowing.threshold(w[ch], scale[ch], accumulator.l1Radius());
            for (int t = 0; t < k; t++) {
                double y = row[t] / scale[ch];
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
                double e = (row[t] - scale[ch] * qt) / u[t][t];
                double[] ut = u[t];
                for (int j = t + 1; j < k; j++) {
                    row[j] -= e * ut[j];
                }
            }
        }
        return q;
    }

    /** {@code X̃ᵀX̃ + λI}, λ = {@value #DAMPING}·mean(diag X̃ᵀX̃) (zero columns keep a zero diagonal here). */
    static double[][] hessian(float[] x, int n, int k) {
        double[][] h = new double[k][k];
        double[] r = new double[k];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                r[t] = x[i * k + t];
            }
            for (int a = 0; a < k; a++) {
                double ra = r[a];
                if (ra == 0) {
                    continue;
                }
                double[] ha = h[a];
                for (int b = a; b < k; b++) {
                    ha[b] += ra * r[b];
                }
            }
        }
        double mean = 0;
        for (int t = 0; t < k; t++) {
            mean += h[t][t];
        }
        double damp = DAMPING * mean / Math.max(k, 1);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < a; b++) {
                h[a][b] = h[b][a];
            }
            if (h[a][a] != 0) {
                h[a][a] += damp;
            }
        }
        return h;
    }

    /** U with {@code UᵀU = H⁻¹}: the upper Cholesky factor of the inverse, as GPTQ uses it. */
    static double[][] upperCholeskyOfInverse(double[][] h) {
        RealMatrix m = new Array2DRowRealMatrix(h, false);
        try {
            RealMatrix inverse =
                    new CholeskyDecomposition(m, 1e-12, 1e-14).getSolver().getInverse();
            // symmetrize the rounding of the inverse before the second factorization
            RealMatrix sym = inverse.add(inverse.transpose()).scalarMultiply(0.5);
            return new CholeskyDecomposition(sym, 1e-12, 1e-14).getLT().getData();
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalStateException("the damped Hessian X̃ᵀX̃ + λI is not positive definite", e);
        }
    }
}
