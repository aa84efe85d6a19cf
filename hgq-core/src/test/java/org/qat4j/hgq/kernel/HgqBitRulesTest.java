package org.qat4j.hgq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;

class HgqBitRulesTest {

    @Test
    void ceilLog2IsExactAroundPowersOfTwo() {
        for (int e = -60; e <= 60; e++) {
            double p = Math.scalb(1.0, e);
            assertEquals(e, HgqBitRules.ceilLog2(p));
            assertEquals(e + 1, HgqBitRules.ceilLog2(Math.nextUp(p)));
            assertEquals(e, HgqBitRules.ceilLog2(Math.nextDown(p)));
        }
    }

    /**
     * The v1 format of a recorded range holds every grid value of the range without overflow, and no
     * smaller integer-bit count does (exhaustive over small mantissa ranges and f).
     */
    @Test
    void activationFormatIsTheSmallestThatHoldsTheRange() {
        int checks = 0;
        for (int f = -3; f <= 5; f++) {
            for (long lo = -40; lo <= 40; lo += 3) {
                for (long hi = lo; hi <= 40; hi += 5) {
                    double min = Math.scalb((double) lo, -f);
                    double max = Math.scalb((double) hi, -f);
                    FixedFormat fmt = HgqBitRules.activationFormat(min, max, f, 1, 2);
                    if (lo == 0 && hi == 0) {
                        assertEquals(new FixedFormat(0, 0, 0), fmt);
                        continue;
                    }
                    assertTrue(holds(fmt, lo, f) && holds(fmt, hi, f), fmt + " for [" + lo + ", " + hi + "]·2^-" + f);
                    assertEquals(lo < 0 ? 1 : 0, fmt.k());
                    FixedFormat smaller = new FixedFormat(fmt.k(), fmt.i() - 1, f);
                    assertTrue(
                            smaller.width() <= 0 || !holds(smaller, lo, f) || !holds(smaller, hi, f),
                            "not minimal: " + fmt + " for [" + lo + ", " + hi + "]·2^-" + f);
                    checks++;
                }
            }
        }
        assertTrue(checks > 1000);
    }

    private static boolean holds(FixedFormat fmt, long mantissa, int f) {
        if (fmt.width() <= 0) {
            return mantissa == 0;
        }
        long m = FixedPoint.quantize(
                Math.scalb((double) mantissa, -f), fmt, org.qat4j.runtime.fixed.RoundingMode.RND, OverflowMode.WRAP);
        return m == mantissa;
    }

    @Property
    void constantFormatHoldsTheValueWithTheSignificantBits(
            @ForAll @LongRange(min = -100_000, max = 100_000) long m, @ForAll @IntRange(min = -8, max = 20) int f) {
        FixedFormat fmt = HgqBitRules.constantFormat(m, f);
        long cm = HgqBitRules.canonicalMantissa(m);
        if (m == 0) {
            assertEquals(0, fmt.width());
            assertEquals(0, HgqBitRules.significantBits(m));
            return;
        }
        assertEquals(Math.scalb((double) m, -f), Math.scalb((double) cm, -fmt.f()));
        assertEquals(
                cm,
                FixedPoint.quantize(
                        Math.scalb((double) cm, -fmt.f()),
                        fmt,
                        org.qat4j.runtime.fixed.RoundingMode.RND,
                        OverflowMode.SAT));
        assertEquals(64 - Long.numberOfLeadingZeros(Math.abs(cm)), HgqBitRules.significantBits(m));
    }
}
