package org.qat4j.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.IntBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.prove.ChannelHash;

/**
 * The checker's per-channel sums agree with a BigInteger reference on every arithmetic path it
 * picks (32-bit, plain 64-bit, overflow-checked), and a sum beyond 64 bits is an error, never a wrap.
 */
class DotProductBoundsTest {

    @Property(tries = 300)
    void sumsEqualTheBigIntegerReference(
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
            @ForAll @IntRange(min = 1, max = 31) int weightBits,
            @ForAll @IntRange(min = 0, max = 40) int inputBits,
            @ForAll @IntRange(min = 1, max = 3) int tapsPerRange) {
        Random rnd = new Random(seed);
        int channels = 1 + rnd.nextInt(5);
        int ranges = 1 + rnd.nextInt(20);
        int k = ranges * tapsPerRange;
        int[] w = new int[channels * k];
        // channels of different magnitudes in one layer: each channel's own bound picks its arithmetic
        int[] shift = new int[channels];
        for (int c = 0; c < channels; c++) {
            shift[c] = rnd.nextInt(3) == 0 ? rnd.nextInt(weightBits) : 0;
        }
        for (int t = 0; t < w.length; t++) {
            long v = rnd.nextInt(4) == 0 ? 0 : (rnd.nextLong() >> (64 - weightBits)) >> shift[t / k];
            w[t] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        if (rnd.nextInt(10) == 0) {
            w[0] = Integer.MIN_VALUE;
        }
        long[] bias = new long[channels];
        for (int c = 0; c < channels; c++) {
            bias[c] = rnd.nextLong() >> (64 - Math.min(62, weightBits + inputBits + 1));
        }
        long[] lo = new long[ranges];
        long[] hi = new long[ranges];
        for (int j = 0; j < ranges; j++) {
            long a = inputBits == 0 ? 0 : rnd.nextLong() >> (64 - inputBits);
            long b = inputBits == 0 ? 0 : rnd.nextLong() >> (64 - inputBits);
            lo[j] = Math.min(a, b);
            hi[j] = Math.max(a, b);
            if (seed % 5 == 1 && j > 0) {
                // one range for every tap (a per-tensor input format) takes the checker's Q⁺/Q⁻ formulas
                lo[j] = lo[0];
                hi[j] = hi[0];
            }
            if (seed % 3 == 0) {
                // ranges containing 0 (signed or ReLU inputs) take the checker's two-sum loop
                lo[j] = Math.min(lo[j], 0);
                hi[j] = Math.max(hi[j], 0);
            }
        }
        CheckFindings findings = new CheckFindings();
        DotProductBounds.Result r;
        try {
            r = new DotProductBounds(findings)
                    .layer(
                            "d",
                            "dense",
                            IntBuffer.wrap(w),
                            bias,
                            k,
                            tapsPerRange,
                            64,
                            null,
                            lo,
                            hi,
                            "element",
                            channels,
                            1);
        } catch (ArithmeticException e) {
            assertTrue(
                    anyChannelLeaves64Bits(w, bias, lo, hi, k, tapsPerRange),
                    "overflow reported but every sum fits 64 bits");
            return;
        }
        for (int c = 0; c < channels; c++) {
            BigInteger[] ref = reference(w, c, k, tapsPerRange, bias[c], lo, hi);
            RecomputedLayer.Channel ch = r.layer().channels().get(c);
            assertEquals(ref[0], BigInteger.valueOf(ch.neg()), "neg, channel " + c);
            assertEquals(ref[1], BigInteger.valueOf(ch.pos()), "pos, channel " + c);
            assertEquals(ref[2], BigInteger.valueOf(r.outputRange()[0][c]), "low sum, channel " + c);
            assertEquals(ref[3], BigInteger.valueOf(r.outputRange()[1][c]), "high sum, channel " + c);
            assertEquals(ChannelHash.of(w, c * k, k, bias[c]), ch.hash(), "hash, channel " + c);
        }
        assertEquals((long) channels * k, findings.report().weightsChecked());
    }

    @Test
    void sumsBeyond64BitsAreAnErrorNotAWrap() {
        int k = 8;
        int[] w = new int[k];
        java.util.Arrays.fill(w, Integer.MAX_VALUE);
        long[] lo = new long[k];
        long[] hi = new long[k];
        java.util.Arrays.fill(hi, 1L << 33);
        assertTrue(anyChannelLeaves64Bits(w, new long[1], lo, hi, k, 1));
        assertThrows(
                ArithmeticException.class,
                () -> new DotProductBounds(new CheckFindings())
                        .layer("d", "dense", IntBuffer.wrap(w), new long[1], k, 1, 64, null, lo, hi, "element", 1, 1));
    }

    /** {neg, pos, Σ low ends, Σ high ends}, bias included. */
    private static BigInteger[] reference(int[] w, int c, int k, int tapsPerRange, long bias, long[] lo, long[] hi) {
        BigInteger b = BigInteger.valueOf(bias);
        BigInteger neg = b.min(BigInteger.ZERO);
        BigInteger pos = b.max(BigInteger.ZERO);
        BigInteger sLo = b;
        BigInteger sHi = b;
        for (int t = 0; t < k; t++) {
            BigInteger wt = BigInteger.valueOf(w[c * k + t]);
            BigInteger a1 = wt.multiply(BigInteger.valueOf(lo[t / tapsPerRange]));
            BigInteger a2 = wt.multiply(BigInteger.valueOf(hi[t / tapsPerRange]));
            BigInteger tLo = a1.min(a2);
            BigInteger tHi = a1.max(a2);
            sLo = sLo.add(tLo);
            sHi = sHi.add(tHi);
            neg = neg.add(tLo.min(BigInteger.ZERO));
            pos = pos.add(tHi.max(BigInteger.ZERO));
        }
        return new BigInteger[] {neg, pos, sLo, sHi};
    }

    private static boolean anyChannelLeaves64Bits(int[] w, long[] bias, long[] lo, long[] hi, int k, int tapsPerRange) {
        for (int c = 0; c < bias.length; c++) {
            BigInteger b = BigInteger.valueOf(bias[c]);
            BigInteger sLo = b;
            BigInteger sHi = b;
            BigInteger neg = b.min(BigInteger.ZERO);
            BigInteger pos = b.max(BigInteger.ZERO);
            for (int t = 0; t < k; t++) {
                BigInteger wt = BigInteger.valueOf(w[c * k + t]);
                BigInteger a1 = wt.multiply(BigInteger.valueOf(lo[t / tapsPerRange]));
                BigInteger a2 = wt.multiply(BigInteger.valueOf(hi[t / tapsPerRange]));
                sLo = sLo.add(a1.min(a2));
                sHi = sHi.add(a1.max(a2));
                neg = neg.add(a1.min(a2).min(BigInteger.ZERO));
                pos = pos.add(a1.max(a2).max(BigInteger.ZERO));
                for (BigInteger v : new BigInteger[] {a1, a2, sLo, sHi, neg, pos}) {
                    if (v.bitLength() > 63) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
