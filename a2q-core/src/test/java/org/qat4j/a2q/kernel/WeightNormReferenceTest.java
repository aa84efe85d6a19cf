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
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.bound.AccumulatorInterval;
import org.qat4j.runtime.bound.ChannelSums;
import org.qat4j.runtime.bound.TwosComplementAccumulator;
import org.qat4j.runtime.model.A2qConstraint.Variant;

class WeightNormReferenceTest {

    /**
     * A constructed channel where round-half-even breaks the A2Q bound and overflows a real 8-bit accumulator, while
     * round-toward-zero keeps it: K = 10 weights −0.75, g' = 15 so pre = 0.5 exactly and every v/pre = −1.5.
     */
    @Test
    void roundHalfEvenBreaksTheBoundRoundTowardZeroKeepsIt() {
        int p = 8;
        int n = 4;
        boolean signed = true; // x ∈ [−8, 7]
        float t = AccumulatorBoundsFloat32.bound(Variant.A2Q, p, n, signed);
        assertEquals(15.875f, t);
        float[] v = new float[10];
        java.util.Arrays.fill(v, -0.75f);
        float d = WeightNormReference.l1(v);
        float s = 1f;
        float g = 15f;
        float pre = WeightNormReference.preScale(d, g, s, t);
        assertEquals(0.5f, pre);
        long[] trunc = WeightNormReference.integerWeights(v, d, 0, g, s, t, 8, Variant.A2Q);
        long[] halfEven = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            halfEven[i] = (long) Math.rint(v[i] / pre);
        }
        assertEquals(10, ChannelSums.of(trunc).l1());
        assertEquals(20, ChannelSums.of(halfEven).l1());
        assertTrue(A2qBounds.satisfiesA2q(10, p, n, signed));
        assertFalse(A2qBounds.satisfiesA2q(20, p, n, signed));
        // the worst-case input x = −8 on every term: 160 wraps an 8-bit register, 80 does not
        assertFalse(AccumulatorInterval.worstCase(halfEven, n, signed).fitsSigned(p));
        assertTrue(AccumulatorInterval.worstCase(trunc, n, signed).fitsSigned(p));
        TwosComplementAccumulator acc = new TwosComplementAccumulator(p);
        for (long q : halfEven) {
            acc.add(q * -8);
        }
        assertTrue(acc.wrapped());
    }

    /** The NDArray kernel equals the plain-Java reference bit for bit, given the kernel's own d and μ. */
    @Property(tries = 60)
    void kernelEqualsReference(
            @ForAll @IntRange(min = 1, max = 6) int c,
            @ForAll @IntRange(min = 1, max = 80) int k,
            @ForAll @IntRange(min = 2, max = 8) int m,
            @ForAll @IntRange(min = 8, max = 24) int p,
            @ForAll @IntRange(min = 1, max = 8) int n,
            @ForAll boolean signed,
            @ForAll @IntRange(min = 0, max = 2) int variantIndex,
            @ForAll long seed) {
        Variant variant = Variant.values()[variantIndex];
        Random rnd = new Random(seed);
        float[] w = new float[c * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.1);
        }
        float[] lgShift = new float[c];
        for (int i = 0; i < c; i++) {
            lgShift[i] = (float) (rnd.nextGaussian() * 2); // push g above and below s·T
        }
        float t =
                AccumulatorBoundsFloat32.bound(variant == Variant.UNCONSTRAINED ? Variant.A2Q : variant, p, n, signed);
        try (NDManager sub = NDManager.newBaseManager()) {
            NDArray v = sub.create(w, new Shape(c, k));
            NDArray ls = WeightNormInit.log2Scale(v, m);
            NDArray lg = WeightNormInit.log2Norm(v).add(sub.create(lgShift, new Shape(c, 1)));
            NDArray s = WeightNormQuantization.pow2Clamped(ls);
            NDArray g = WeightNormQuantization.pow2Clamped(lg);
            WeightNormQuantization.Result r = WeightNormQuantization.compute(v, g, s, t, m, variant);
            float[] q = r.intWeights().toFloatArray();
            float[] d = (variant == Variant.A2Q_PLUS ? v.sub(v.mean(new int[] {1}, true)) : v)
                    .norm(1, new int[] {1}, false)
                    .toFloatArray();
            float[] mu = v.mean(new int[] {1}).toFloatArray();
            float[] sv = s.toFloatArray();
            float[] gv = g.toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                float[] row = java.util.Arrays.copyOfRange(w, ch * k, (ch + 1) * k);
                long[] ref = WeightNormReference.integerWeights(row, d[ch], mu[ch], gv[ch], sv[ch], t, m, variant);
                long[] ours = new long[k];
                for (int i = 0; i < k; i++) {
                    ours[i] = (long) q[ch * k + i];
                    assertEquals((float) ours[i], q[ch * k + i], 0f, "not an integer");
                }
                assertArrayEquals(ref, ours, "channel " + ch);
            }
        }
    }

    /**
     * Over random shapes, P, N, M and norms pushed far above s·T, every channel satisfies its bound exactly, and the
     * worst-case inputs never wrap a simulated P-bit register.
     */
    @Property(tries = 3000)
    void integerWeightsAlwaysSatisfyTheBound(
            @ForAll @IntRange(min = 1, max = 300) int k,
            @ForAll @IntRange(min = 2, max = 10) int m,
            @ForAll @IntRange(min = 4, max = 24) int p,
            @ForAll @IntRange(min = 1, max = 10) int n,
            @ForAll boolean signed,
            @ForAll boolean plus,
            @ForAll long seed) {
        Variant variant = plus ? Variant.A2Q_PLUS : Variant.A2Q;
        Random rnd = new Random(seed);
        float[] v = new float[k];
        double bias = rnd.nextBoolean() ? rnd.nextGaussian() : 0; // off-centre weights stress A2Q+
        for (int i = 0; i < k; i++) {
            v[i] = (float) (rnd.nextGaussian() + bias);
        }
        float t = AccumulatorBoundsFloat32.bound(variant, p, n, signed);
        float d = WeightNormReference.l1(plus ? centred(v) : v);
        float mu = WeightNormReference.mean(v);
        float s = (float) Math.scalb(1.0, rnd.nextInt(20) - 10) * (1 + rnd.nextFloat());
        float g = (float) (s * t * Math.scalb(1.0, rnd.nextInt(12) - 6)); // often clamped
        long[] q = WeightNormReference.integerWeights(v, d, mu, g, s, t, m, variant);
        ChannelSums sums = ChannelSums.of(q);
        if (plus) {
            assertTrue(A2qBounds.satisfiesA2qPlus(sums.posSum(), sums.negSum(), p, n), sums + " P=" + p + " N=" + n);
        } else {
            assertTrue(A2qBounds.satisfiesA2q(sums.l1(), p, n, signed), sums + " P=" + p + " N=" + n);
        }
        assertTrue(AccumulatorInterval.worstCase(q, n, signed).fitsSigned(p));
    }

    static float[] centred(float[] v) {
        float mu = WeightNormReference.mean(v);
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] - mu;
        }
        return r;
    }
}
