package org.qat4j.a2q.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * {@link IntegerRowPreimage}: the row it builds truncates to the integers with margin ε, is zero-mean (A2Q+) and
 * inside T; realized as float32 weights {@code v = y·s} it gives back the integers through the quantizer's own
 * arithmetic (plain-Java reference and the engine); it refuses only rows for which no such row exists.
 */
class IntegerRowPreimageTest {

    /** A random M-bit row whose A2Q+ sign halves fit P-bit accumulation of unsigned N-bit inputs exactly. */
    private static long[] axeLikeRow(Random rnd, int k, int m, int p, int n) {
        long qMax = (1L << (m - 1)) - 1;
        long limit = ((1L << (p - 1)) - 1) / ((1L << n) - 1); // x_max·Q± ≤ 2^(P−1)−1
        double bias = rnd.nextDouble() - 0.5; // rows with a non-zero mean, as AXE's are
        long[] q = new long[k];
        for (int i = 0; i < k; i++) {
            q[i] = Math.max(-qMax, Math.min(qMax, Math.round(rnd.nextGaussian() * qMax / 2 + bias * qMax)));
        }
        trim(q, limit, 1, rnd);
        trim(q, limit, -1, rnd);
        return q;
    }

    private static void trim(long[] q, long limit, int sign, Random rnd) {
        long half = 0;
        for (long x : q) {
            half += Math.max(sign * x, 0);
        }
        while (half > limit) {
            int i = rnd.nextInt(q.length);
            if (sign * q[i] > 0) {
                q[i] -= sign;
                half--;
            }
        }
    }

    @Property(tries = 3000)
    void theRowTruncatesToTheIntegersAndTheQuantizerGivesThemBack(
            @ForAll @IntRange(min = 1, max = 300) int k,
            @ForAll @IntRange(min = 2, max = 8) int m,
            @ForAll @IntRange(min = 8, max = 20) int p,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        int n = rnd.nextBoolean() ? 4 : 8;
        long[] q = axeLikeRow(rnd, k, m, p, n);
        float t = AccumulatorBoundsFloat32.bound(Variant.A2Q_PLUS, p, n, false);
        IntegerRowPreimage.Result r = IntegerRowPreimage.of(q, Variant.A2Q_PLUS, t);
        long pos = 0;
        long neg = 0;
        int against = 0;
        long sum = 0;
        for (long x : q) {
            pos += Math.max(x, 0);
            neg += Math.max(-x, 0);
            sum += x;
        }
        for (long x : q) {
            against += x == 0 || Long.signum(x) == -Long.signum(sum) ? 1 : 0;
        }
        if (!r.found()) {
            // a zero-mean row moves each entry by less than one: Σq must be below the count of entries that may move
            // against it (or a half is at T/2 exactly, which the integer limit allows only when T/2 is an integer)
            // (or a half is so close to T/2 that the margins cannot fit)
            long largest = 0;
            for (long x : q) {
                largest = Math.max(largest, Math.abs(x));
            }
            double room = 2 * k * IntegerRowPreimage.minMargin(largest);
            assertTrue(Math.abs(sum) >= against || Math.max(pos, neg) >= t / 2.0 - room, r.reason());
            IntegerRowPreimage.Result near = IntegerRowPreimage.nearest(q, Variant.A2Q_PLUS, t);
            if (!near.found()) {
                return;
            }
            // the nearest reachable row: each entry moved toward zero, in total the reported units, at least the
            // excess of |Σq| over the entries that may move against it, less one (a ±1 → 0 move counts twice)
            long units = 0;
            for (int i = 0; i < k; i++) {
                long to = (long) near.y()[i];
                assertTrue(Math.abs(to) <= Math.abs(q[i]) && to * q[i] >= 0, "entry " + i + ": " + q[i] + " → " + to);
                units += Math.abs(to - q[i]);
            }
            assertEquals(near.changedUnits(), units);
            assertTrue(units > 0 && 2 * units >= Math.abs(sum) - against + 1, units + " units for Σq = " + sum);
            return;
        }
        double[] y = r.y();
        double eps = r.margin();
        assertTrue(eps > 0 && eps <= IntegerRowPreimage.MAX_MARGIN, "ε " + eps);
        double ySum = 0;
        double yPos = 0;
        for (int i = 0; i < k; i++) {
            double lo = q[i] > 0 ? q[i] : q[i] < 0 ? q[i] - 1 : -1;
            double hi = q[i] > 0 ? q[i] + 1 : q[i] < 0 ? q[i] : 1;
            assertTrue(y[i] >= lo + eps - 1e-12 && y[i] <= hi - eps + 1e-12, "y[" + i + "] = " + y[i] + " for " + q[i]);
            ySum += y[i];
            yPos += Math.max(y[i], 0);
        }
        assertEquals(0, ySum, 1e-9 * k, "Σy");
        assertTrue(yPos < t / 2.0, "half " + yPos + " ≥ T/2 " + t / 2.0);

        float s = (float) Math.scalb(1.0 + rnd.nextDouble(), -rnd.nextInt(12));
        float[] v = realize(y, s);
        float mu = WeightNormReference.mean(v);
        float[] centred = new float[k];
        for (int i = 0; i < k; i++) {
            centred[i] = v[i] - mu;
        }
        float d = WeightNormReference.l1(centred);
        float g = (float) Math.pow(2, (float) (Math.log(d) / Math.log(2)));
        assertArrayEquals(q, WeightNormReference.integerWeights(v, d, mu, g, s, t, m, Variant.A2Q_PLUS));
    }

    @Property(tries = 1000)
    void a2qRowsStayInsideT(
            @ForAll @IntRange(min = 1, max = 200) int k,
            @ForAll @IntRange(min = 2, max = 8) int m,
            @ForAll @IntRange(min = 10, max = 20) int p,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        float t = AccumulatorBoundsFloat32.bound(Variant.A2Q, p, 4, false);
        long[] q = axeLikeRow(rnd, k, m, p + 1, 4);
        long l1 = 0;
        long largest = 0;
        for (long x : q) {
            l1 += Math.abs(x);
            largest = Math.max(largest, Math.abs(x));
        }
        IntegerRowPreimage.Result r = IntegerRowPreimage.of(q, Variant.A2Q, t);
        if (!r.found()) {
            assertTrue(l1 >= t - 2 * k * IntegerRowPreimage.minMargin(largest), "‖q‖₁ = " + l1 + ", T = " + t);
            return;
        }
        assertTrue(l1 < t);
        float s = 0.01f;
        float[] v = realize(r.y(), s);
        float d = WeightNormReference.l1(v);
        float g = (float) Math.pow(2, (float) (Math.log(d) / Math.log(2)));
        assertArrayEquals(q, WeightNormReference.integerWeights(v, d, 0f, g, s, t, m, Variant.A2Q));
    }

    @Test
    void rowsWithoutAPreimageAreRefusedWithTheReason() {
        float t = AccumulatorBoundsFloat32.bound(Variant.A2Q_PLUS, 12, 4, false); // T/2 = 136.47
        IntegerRowPreimage.Result allPositive = IntegerRowPreimage.of(new long[] {1, 2, 3}, Variant.A2Q_PLUS, t);
        assertFalse(allPositive.found());
        assertTrue(allPositive.reason().contains("Σq = 6 cannot be cancelled"), allPositive.reason());
        long[] wide = new long[40];
        java.util.Arrays.fill(wide, 0, 20, 7); // Q+ = 140 > 136.47
        java.util.Arrays.fill(wide, 20, 40, -7);
        IntegerRowPreimage.Result over = IntegerRowPreimage.of(wide, Variant.A2Q_PLUS, t);
        assertFalse(over.found());
        assertTrue(over.reason().contains("Q+ = 140"), over.reason());
        // (3, −1, 0): Σq = 2, but the −1 and the 0 can each move by less than one: no zero-mean row
        assertFalse(IntegerRowPreimage.of(new long[] {3, -1, 0}, Variant.A2Q_PLUS, t)
                .found());
        // (3, −1, 0, 0): the −1 and the zeros take the 2 plus the margins; every entry keeps its integer
        IntegerRowPreimage.Result r = IntegerRowPreimage.of(new long[] {3, -1, 0, 0}, Variant.A2Q_PLUS, t);
        assertTrue(r.found(), r.reason());
        assertArrayEquals(
                new long[] {3, -1, 0, 0},
                java.util.Arrays.stream(r.y()).mapToLong(x -> (long) x).toArray());
        assertEquals(0, java.util.Arrays.stream(r.y()).sum(), 1e-12);
    }

    /** The engine's quantizer (PyTorch reductions for the mean and the norm) gives the integers back too. */
    @Test
    void theEngineQuantizerGivesTheIntegersBack() {
        int c = 32;
        int k = 288;
        int p = 12;
        float t = AccumulatorBoundsFloat32.bound(Variant.A2Q_PLUS, p, 4, false);
        Random rnd = new Random(7);
        long[][] q = new long[c][];
        float[] flat = new float[c * k];
        float[] scales = new float[c];
        for (int ch = 0; ch < c; ch++) {
            IntegerRowPreimage.Result r;
            do {
                q[ch] = axeLikeRow(rnd, k, 4, p, 4);
                r = IntegerRowPreimage.of(q[ch], Variant.A2Q_PLUS, t);
            } while (!r.found());
            scales[ch] = (float) Math.scalb(1.0 + rnd.nextDouble(), -6);
            System.arraycopy(realize(r.y(), scales[ch]), 0, flat, ch * k, k);
        }
        try (NDManager manager = NDManager.newBaseManager();
                NoGradScope ignored = NoGradScope.open()) {
            NDArray v = manager.create(flat, new Shape(c, k));
            NDArray s = manager.create(scales, new Shape(c, 1));
            NDArray g = WeightNormQuantization.pow2Clamped(WeightNormInit.log2Norm(v.sub(v.mean(new int[] {1}, true))));
            float[] got = WeightNormQuantization.compute(v, g, s, t, 4, Variant.A2Q_PLUS)
                    .intWeights()
                    .toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < k; i++) {
                    assertEquals(q[ch][i], (long) got[ch * k + i], "channel " + ch + " entry " + i);
                }
            }
        }
    }

    private static float[] realize(double[] y, float s) {
        float[] v = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            v[i] = (float) y[i] * s;
        }
        return v;
    }
}
