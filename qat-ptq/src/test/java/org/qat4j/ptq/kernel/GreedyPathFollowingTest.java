package org.qat4j.ptq.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.bound.AccumulatorInterval;
import org.qat4j.runtime.bound.ChannelSums;

class GreedyPathFollowingTest {

    /** A random layer with its calibration inputs on an N-bit grid of step 1/2^N. */
    private record Layer(double[][] w, double[] s, float[] x, int n) {}

    private static Layer layer(long seed, int c, int k, int n, int inputBits, boolean signed, int weightBits) {
        Random r = new Random(seed);
        double[][] w = new double[c][k];
        double[] s = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double max = 0;
            double bias = r.nextGaussian() * 0.3; // rows that are not zero-centred
            for (int t = 0; t < k; t++) {
                w[ch][t] = r.nextGaussian() + bias;
                max = Math.max(max, Math.abs(w[ch][t]));
            }
            s[ch] = max / ((1L << (weightBits - 1)) - 1);
        }
        UniformGrid g = UniformGrid.activations(inputBits, signed);
        float[] x = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (g.qMin() + r.nextInt((int) (g.qMax() - g.qMin() + 1)));
        }
        return new Layer(w, s, x, n);
    }

    @Property(tries = 60)
    void axeResultIsCertifiedAtP(
            @ForAll @IntRange(min = 4, max = 20) int p,
            @ForAll @IntRange(min = 2, max = 8) int n,
            @ForAll boolean signed,
            @ForAll @IntRange(min = 2, max = 8) int m,
            @ForAll @IntRange(min = 1, max = 40) int k,
            @ForAll long seed) {
        Layer l = layer(seed, 3, k, 6, n, signed, m);
        var acc = new GreedyPathFollowing.Accumulator(p, n, signed);
        long[][] q = GreedyPathFollowing.quantize(l.w(), l.s(), l.x(), l.x(), l.n(), m, acc);
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
    void withoutAConstraintGpfqBeatsNearestRoundingOnTheOutput() {
        Layer l = layer(7, 4, 64, 256, 4, false, 3);
        long[][] q = GreedyPathFollowing.quantize(l.w(), l.s(), l.x(), l.x(), l.n(), 3, null);
        UniformGrid g = UniformGrid.weights(3);
        double errGreedy = 0;
        double errNearest = 0;
        for (int ch = 0; ch < 4; ch++) {
            for (int i = 0; i < l.n(); i++) {
                double exact = 0;
                double greedy = 0;
                double nearest = 0;
                for (int t = 0; t < 64; t++) {
                    double x = l.x()[i * 64 + t];
                    exact += l.w()[ch][t] * x;
                    greedy += l.s()[ch] * q[ch][t] * x;
                    nearest += g.quantize(l.w()[ch][t], l.s()[ch]) * x;
                }
                errGreedy += (greedy - exact) * (greedy - exact);
                errNearest += (nearest - exact) * (nearest - exact);
            }
        }
        assertTrue(errGreedy < errNearest / 2, "GPFQ " + errGreedy + " vs nearest " + errNearest);
    }
}
