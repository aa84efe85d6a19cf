package org.qat4j.ptq.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.bound.AccumulatorInterval;
import org.qat4j.runtime.bound.ChannelSums;

class HessianErrorCompensationTest {

    private static double[][] weights(Random r, int c, int k) {
        double[][] w = new double[c][k];
        for (int ch = 0; ch < c; ch++) {
            double bias = r.nextGaussian() * 0.3; // rows that are not zero-centred
            for (int t = 0; t < k; t++) {
                w[ch][t] = r.nextGaussian() + bias;
            }
        }
        return w;
    }

    private static double[] absMaxScales(double[][] w, int bits) {
        double[] s = new double[w.length];
        for (int ch = 0; ch < w.length; ch++) {
            for (double v : w[ch]) {
                s[ch] = Math.max(s[ch], Math.abs(v));
            }
            s[ch] /= (1L << (bits - 1)) - 1;
        }
        return s;
    }

    private static float[] inputs(Random r, int n, int k, int bits, boolean signed) {
        UniformGrid g = UniformGrid.activations(bits, signed);
        float[] x = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (g.qMin() + r.nextInt((int) (g.qMax() - g.qMin() + 1)));
        }
        return x;
    }

    @Property(tries = 60)
    void axeGptqIsCertifiedAtP(
            @ForAll @IntRange(min = 4, max = 20) int p,
            @ForAll @IntRange(min = 2, max = 8) int n,
            @ForAll boolean signed,
            @ForAll @IntRange(min = 2, max = 8) int m,
            @ForAll @IntRange(min = 1, max = 40) int k,
            @ForAll long seed) {
        Random r = new Random(seed);
        double[][] w = weights(r, 3, k);
        var acc = new GreedyPathFollowing.Accumulator(p, n, signed);
        long[][] q = HessianErrorCompensation.quantize(w, absMaxScales(w, m), inputs(r, 12, k, n, signed), 12, m, acc);
        long qMax = (1L << (m - 1)) - 1;
        for (long[] row : q) {
            for (long v : row) {
                assertTrue(Math.abs(v) <= qMax);
            }
            ChannelSums sums = ChannelSums.of(row);
            assertTrue(
                    A2qBounds.satisfiesA2qPlus(sums.posSum(), sums.negSum(), p, n),
                    "A2Q+ halves " + sums + " at P=" + p + ", N=" + n);
            AccumulatorInterval iv = AccumulatorInterval.worstCase(row, n, signed);
            assertTrue(iv.fitsSigned(p), "worst case " + iv + " at P=" + p);
        }
    }

    @Test
    void orthogonalInputsLeaveNothingToCompensateSoGptqIsNearestRounding() {
        // X̃ = diag(1, 2, 3, 4) repeated: X̃ᵀX̃ is diagonal, so U is diagonal and no error moves to another column
        int k = 4;
        int n = 8;
        float[] x = new float[n * k];
        for (int i = 0; i < n; i++) {
            x[i * k + (i % k)] = 1 + (i % k);
        }
        double[][] w = weights(new Random(11), 5, k);
        double[] s = absMaxScales(w, 3);
        long[][] q = HessianErrorCompensation.quantize(w, s, x, n, 3, null);
        UniformGrid g = UniformGrid.weights(3);
        for (int ch = 0; ch < w.length; ch++) {
            long[] nearest = new long[k];
            for (int t = 0; t < k; t++) {
                nearest[t] = g.toInteger(w[ch][t] / s[ch], 1.0);
            }
            assertArrayEquals(nearest, q[ch], "channel " + ch);
        }
    }

    @Test
    void theFactorInvertsTheDampedHessian() {
        Random r = new Random(5);
        int k = 6;
        int n = 30;
        float[] x = inputs(r, n, k, 4, true);
        double[][] h = HessianErrorCompensation.hessian(x, n, k);
        double[][] u = HessianErrorCompensation.upperCholeskyOfInverse(h);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < a; b++) {
                assertEquals(0.0, u[a][b], 0.0, "U is upper triangular");
            }
        }
        // (UᵀU)·H = I
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double v = 0;
                for (int j = 0; j < k; j++) {
                    double inv = 0;
                    for (int t = 0; t < k; t++) {
                        inv += u[t][a] * u[t][j];
                    }
                    v += inv * h[j][b];
                }
                assertEquals(a == b ? 1.0 : 0.0, v, 1e-9, "(" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void withoutAConstraintGptqBeatsNearestRoundingOnTheOutput() {
        Random r = new Random(7);
        int k = 64;
        int n = 256;
        double[][] w = weights(r, 4, k);
        double[] s = absMaxScales(w, 3);
        float[] x = inputs(r, n, k, 4, false);
        long[][] q = HessianErrorCompensation.quantize(w, s, x, n, 3, null);
        UniformGrid g = UniformGrid.weights(3);
        double errGptq = 0;
        double errNearest = 0;
        for (int ch = 0; ch < 4; ch++) {
            for (int i = 0; i < n; i++) {
                double exact = 0;
                double gptq = 0;
                double nearest = 0;
                for (int t = 0; t < k; t++) {
                    double xi = x[i * k + t];
                    exact += w[ch][t] * xi;
                    gptq += s[ch] * q[ch][t] * xi;
                    nearest += g.quantize(w[ch][t], s[ch]) * xi;
                }
                errGptq += (gptq - exact) * (gptq - exact);
                errNearest += (nearest - exact) * (nearest - exact);
            }
        }
        assertTrue(errGptq < errNearest / 2, "GPTQ " + errGptq + " vs nearest " + errNearest);
    }
}
