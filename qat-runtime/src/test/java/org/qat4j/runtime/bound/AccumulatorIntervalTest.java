package org.qat4j.runtime.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AccumulatorIntervalTest {

    @Test
    void knownIntervalAndBits() {
        long[] w = {3, -2, 0, 5};
        // unsigned 4-bit inputs [0, 15]: [−30, 120]
        AccumulatorInterval iv = AccumulatorInterval.worstCase(w, 4, false);
        assertEquals(new AccumulatorInterval(-30, 120), iv);
        assertEquals(8, iv.bitsNeeded()); // max(30, 121) = 121 → 7 bits + sign
        assertTrue(iv.fitsSigned(8));
        assertFalse(iv.fitsSigned(7));
        // signed 4-bit [−8, 7]: positives reach 8·8=64, negatives −8·8−2·7=−78 → [−(3+5)·8 − 2·7, 8·7+2·8]
        assertEquals(new AccumulatorInterval(-78, 72), AccumulatorInterval.worstCase(w, 4, true));
        // all-positive unsigned: unsigned width
        AccumulatorInterval u = AccumulatorInterval.worstCase(new long[] {1, 1, 1}, 2, false);
        assertEquals(new AccumulatorInterval(0, 9), u);
        assertEquals(4, u.bitsNeeded());
        assertEquals(0, new AccumulatorInterval(0, 0).bitsNeeded());
        assertEquals(64, new AccumulatorInterval(Long.MIN_VALUE, 0).bitsNeeded());
    }

    @Test
    void overflowIsDetectedNotWrapped() {
        assertThrows(
                ArithmeticException.class,
                () -> AccumulatorInterval.worstCase(new long[] {Long.MAX_VALUE / 2, Long.MAX_VALUE / 2}, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> AccumulatorInterval.worstCase(new long[] {1}, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new AccumulatorInterval(1, 0));
    }

    /** Exhaustive over subsets and extreme inputs for small K: the interval is exactly the hull of partial sums. */
    @Property(tries = 1500)
    void intervalIsHullOfAllPartialSums(
            @ForAll @Size(min = 0, max = 9) List<@IntRange(min = -40, max = 40) Integer> ws,
            @ForAll @IntRange(min = -20, max = 20) int xMin,
            @ForAll @IntRange(min = 0, max = 25) int width) {
        long[] w = ws.stream().mapToLong(Integer::longValue).toArray();
        long xMax = xMin + width;
        AccumulatorInterval iv = AccumulatorInterval.worstCase(w, xMin, xMax);
        long lo = 0;
        long hi = 0;
        int k = w.length;
        // every subset S and every choice of extreme input per term (x ∈ {xMin, xMax}; the extremes of a linear
        // function over a box are at corners)
        for (int s = 0; s < (1 << k); s++) {
            for (int c = 0; c < (1 << k); c++) {
                if ((c & ~s) != 0) {
                    continue;
                }
                long sum = 0;
                for (int i = 0; i < k; i++) {
                    if ((s >> i & 1) != 0) {
                        sum += w[i] * (((c >> i) & 1) != 0 ? xMax : xMin);
                    }
                }
                lo = Math.min(lo, sum);
                hi = Math.max(hi, sum);
            }
        }
        assertEquals(new AccumulatorInterval(lo, hi), iv);
    }

    /** bitsNeeded is the smallest signed width that holds the interval when min < 0. */
    @Property(tries = 3000)
    void bitsNeededIsMinimal(
            @ForAll @LongRange(min = -(1L << 50), max = 0) long min,
            @ForAll @LongRange(min = 0, max = 1L << 50) long max) {
        AccumulatorInterval iv = new AccumulatorInterval(min, max);
        int b = iv.bitsNeeded();
        if (min < 0) {
            assertTrue(iv.fitsSigned(b));
            if (b > 1) {
                assertFalse(iv.fitsSigned(b - 1));
            }
        } else {
            assertTrue(max <= (1L << b) - 1);
            assertTrue(b == 0 || max > (1L << (b - 1)) - 1);
        }
    }

    /**
     * Whatever satisfies the A2Q bound has a worst-case interval inside ±(2^(P−1) − 1), and a P-bit register fed
     * the extreme inputs in a random order never wraps.
     */
    @Property(tries = 1500)
    void a2qBoundImpliesNoOverflow(
            @ForAll @IntRange(min = 2, max = 24) int p,
            @ForAll @IntRange(min = 1, max = 8) int n,
            @ForAll boolean signed,
            @ForAll @IntRange(min = 1, max = 64) int k,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        long budget = A2qBounds.maxL1A2q(p, n, signed);
        long posShare = rnd.nextLong(budget + 1);
        long[] w = randomWeightsWithin(rnd, k, posShare, budget - posShare);
        assertTrue(A2qBounds.satisfiesA2q(ChannelSums.of(w).l1(), p, n, signed));
        AccumulatorInterval iv = AccumulatorInterval.worstCase(w, n, signed);
        long a = (1L << (p - 1)) - 1;
        assertTrue(iv.min() >= -a && iv.max() <= a, iv + " P=" + p);
        assertFalse(worstCaseRegisterWraps(w, p, n, signed, rnd));
    }

    /** Same for A2Q+: each sign half within T/2 keeps every partial sum inside ±(2^(P−1) − 1). */
    @Property(tries = 1500)
    void a2qPlusBoundImpliesNoOverflow(
            @ForAll @IntRange(min = 2, max = 24) int p,
            @ForAll @IntRange(min = 1, max = 8) int n,
            @ForAll boolean signed,
            @ForAll @IntRange(min = 1, max = 64) int k,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        long half = A2qBounds.maxHalfSumA2qPlus(p, n);
        long[] w = randomWeightsWithin(rnd, k, half, half);
        ChannelSums cs = ChannelSums.of(w);
        assertTrue(A2qBounds.satisfiesA2qPlus(cs.posSum(), cs.negSum(), p, n));
        AccumulatorInterval iv = AccumulatorInterval.worstCase(w, n, signed);
        long a = (1L << (p - 1)) - 1;
        assertTrue(iv.min() >= -a && iv.max() <= a, iv + " P=" + p);
        assertFalse(worstCaseRegisterWraps(w, p, n, signed, rnd));
    }

    /** The A2Q bound is tight: one more unit of L1 mass, placed adversarially, overflows a P-bit register. */
    @Property(tries = 500)
    void a2qBoundIsTightForSignedInputsAtPowerOfTwoBudget(@ForAll @IntRange(min = 3, max = 20) int p) {
        // N=1 signed inputs x ∈ {−1, 0}: T = 2^(P−1) − 1 is an integer; L1 = T + 1 of negative weights reaches 2^(P−1)
        long t = A2qBounds.maxL1A2q(p, 1, true);
        long[] w = {-(t + 1)};
        assertFalse(A2qBounds.satisfiesA2q(t + 1, p, 1, true));
        TwosComplementAccumulator acc = new TwosComplementAccumulator(p);
        acc.add(w[0] * -1);
        assertTrue(acc.wrapped());
    }

    static long[] randomWeightsWithin(Random rnd, int k, long posBudget, long negBudget) {
        long[] w = new long[k];
        long pos = rnd.nextBoolean() ? posBudget : rnd.nextLong(posBudget + 1); // often use the whole budget
        long neg = rnd.nextBoolean() ? negBudget : rnd.nextLong(negBudget + 1);
        for (int i = 0; i < k; i++) {
            boolean positive = rnd.nextBoolean();
            long left = positive ? pos : neg;
            long v = i == k - 1 ? left : (left == 0 ? 0 : rnd.nextLong(left + 1));
            if (positive) {
                w[i] = v;
                pos -= v;
            } else {
                w[i] = -v;
                neg -= v;
            }
        }
        return w;
    }

    /** Feeds each term its maximising input, then each its minimising input, in a random order. */
    static boolean worstCaseRegisterWraps(long[] w, int p, int n, boolean signed, Random rnd) {
        long xMin = signed ? -(1L << (n - 1)) : 0;
        long xMax = signed ? (1L << (n - 1)) - 1 : (1L << n) - 1;
        boolean wrapped = false;
        for (int dir = 0; dir < 2; dir++) {
            Integer[] order = new Integer[w.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Collections.shuffle(java.util.Arrays.asList(order), rnd);
            TwosComplementAccumulator acc = new TwosComplementAccumulator(p);
            for (int i : order) {
                long up = Math.max(w[i] * xMin, w[i] * xMax);
                long down = Math.min(w[i] * xMin, w[i] * xMax);
                acc.add(dir == 0 ? up : down);
            }
            wrapped |= acc.wrapped();
        }
        return wrapped;
    }
}
