package org.qat4j.runtime.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Exhaustive over small widths: every weight vector of length 3 with entries in [−7, 7], every P ∈ [2, 10],
 * N ∈ [1, 4], σ. Whenever the A2Q or A2Q+ bound holds, the exact worst-case interval fits the P-bit register, and
 * {@code bitsNeeded} equals the smallest P whose register holds every partial sum of every input.
 */
class ExhaustiveSmallWidthTest {

    @Test
    void boundsImplyNoOverflowExhaustively() {
        long satisfiedA2q = 0;
        long satisfiedPlus = 0;
        long checked = 0;
        for (int a = -7; a <= 7; a++) {
            for (int b = -7; b <= 7; b++) {
                for (int c = -7; c <= 7; c++) {
                    long[] w = {a, b, c};
                    ChannelSums s = ChannelSums.of(w);
                    for (int n = 1; n <= 4; n++) {
                        for (boolean signed : new boolean[] {false, true}) {
                            AccumulatorInterval iv = AccumulatorInterval.worstCase(w, n, signed);
                            assertEquals(bruteForceBits(w, n, signed), iv.bitsNeeded(), "w=" + a + "," + b + "," + c);
                            for (int p = 2; p <= 10; p++) {
                                checked++;
                                if (A2qBounds.satisfiesA2q(s.l1(), p, n, signed)) {
                                    satisfiedA2q++;
                                    assertTrue(iv.fitsSigned(p));
                                }
                                if (A2qBounds.satisfiesA2qPlus(s.posSum(), s.negSum(), p, n)) {
                                    satisfiedPlus++;
                                    assertTrue(iv.fitsSigned(p));
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(15L * 15 * 15 * 4 * 2 * 9, checked);
        assertTrue(
                satisfiedA2q > 10_000 && satisfiedPlus > satisfiedA2q,
                "A2Q+ admits more weights than A2Q: " + satisfiedPlus + " vs " + satisfiedA2q);
    }

    /** Smallest register width (unsigned if nothing negative is reachable) holding every partial sum of every input. */
    static int bruteForceBits(long[] w, int n, boolean signed) {
        long xMin = signed ? -(1L << (n - 1)) : 0;
        long xMax = signed ? (1L << (n - 1)) - 1 : (1L << n) - 1;
        long lo = 0;
        long hi = 0;
        // a partial sum is linear in x, so its extremes over the input box lie at corners: every subset, every corner
        long[] ends = {xMin, xMax};
        for (int subset = 0; subset < (1 << w.length); subset++) {
            for (long x0 : ends) {
                for (long x1 : ends) {
                    for (long x2 : ends) {
                        long[] x = {x0, x1, x2};
                        long sum = 0;
                        for (int i = 0; i < w.length; i++) {
                            if ((subset >> i & 1) != 0) {
                                sum += w[i] * x[i];
                            }
                        }
                        lo = Math.min(lo, sum);
                        hi = Math.max(hi, sum);
                    }
                }
            }
        }
        for (int bits = 0; bits <= 64; bits++) {
            if (lo >= 0
                    ? hi <= (1L << bits) - 1
                    : bits >= 1 && lo >= -(1L << (bits - 1)) && hi <= (1L << (bits - 1)) - 1) {
                return bits;
            }
        }
        throw new AssertionError();
    }
}
