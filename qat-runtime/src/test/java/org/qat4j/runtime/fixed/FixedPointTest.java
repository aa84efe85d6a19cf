package org.qat4j.runtime.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-checked cases; the exhaustive and property tests cover the rest. */
class FixedPointTest {

    private static final FixedFormat S3_2 = FixedFormat.signed(3, 2); // step 0.25, range [-8, 7.75]

    @Test
    void roundingModesAtTiesAndBetween() {
        double[] y = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.75, 0.25};
        long[][] expected = {
            // RND (half up)
            {-2, -1, 0, 1, 2, 3, -1, 0},
            // RND_CONV (half even)
            {-2, -2, 0, 0, 2, 2, -1, 0},
            // TRN
            {-3, -2, -1, 0, 1, 2, -1, 0},
            // TRN_ZERO
            {-2, -1, 0, 0, 1, 2, 0, 0},
            // RND_ZERO
            {-2, -1, 0, 0, 1, 2, -1, 0},
            // RND_INF
            {-3, -2, -1, 1, 2, 3, -1, 0},
            // RND_MIN_INF
            {-3, -2, -1, 0, 1, 2, -1, 0},
        };
        FixedFormat integer = FixedFormat.signed(10, 0);
        for (RoundingMode r : RoundingMode.values()) {
            for (int j = 0; j < y.length; j++) {
                long want = expected[r.ordinal()][j];
                assertEquals(want, FixedPoint.quantize(y[j], integer, r, OverflowMode.SAT), r + " " + y[j]);
                assertEquals((double) want, r.round(y[j]), r + ".round " + y[j]);
            }
        }
    }

    @Test
    void noFloatTrapBelowOneHalf() {
        double below = 0.5 - 0x1p-54; // 0.49999999999999994, where floor(y + 0.5) in doubles gives 1
        assertEquals(1.0, Math.floor(below + 0.5), "the trap this library avoids");
        for (RoundingMode r : RoundingMode.values()) {
            assertEquals(0.0, r.round(below), r.toString());
            assertEquals(r == RoundingMode.TRN ? -1.0 : 0.0, r.round(-below), r.toString());
            assertEquals(0L, FixedPoint.quantize(below * 0.125, FixedFormat.signed(2, 3), r, OverflowMode.WRAP));
        }
        // y - floor(y) rounds for y = -0.5 + 2^-54 (gives exactly 0.5): RND_MIN_INF must still give 0
        assertEquals(0.0, RoundingMode.RND_MIN_INF.round(-0.5 + 0x1p-54));
        assertEquals(-1.0, RoundingMode.RND_MIN_INF.round(-0.5));
    }

    @Test
    void overflowModes() {
        assertEquals(31, FixedPoint.quantize(100.0, S3_2, RoundingMode.RND, OverflowMode.SAT));
        assertEquals(-32, FixedPoint.quantize(-100.0, S3_2, RoundingMode.RND, OverflowMode.SAT));
        assertEquals(-31, FixedPoint.quantize(-100.0, S3_2, RoundingMode.RND, OverflowMode.SAT_SYM));
        // 8.0 -> mantissa 32 wraps to -32
        assertEquals(-32, FixedPoint.quantize(8.0, S3_2, RoundingMode.RND, OverflowMode.WRAP));
        // 7.875 rounds up to 8.0 first, then wraps (the reference's order)
        assertEquals(-32, FixedPoint.quantize(7.875, S3_2, RoundingMode.RND, OverflowMode.WRAP));
        assertEquals(31, FixedPoint.quantize(7.875, S3_2, RoundingMode.RND, OverflowMode.SAT));
        FixedFormat u = FixedFormat.unsigned(2, 1); // mantissa 0..7
        assertEquals(7, FixedPoint.quantize(-0.5, u, RoundingMode.TRN, OverflowMode.WRAP));
        assertEquals(0, FixedPoint.quantize(-0.5, u, RoundingMode.TRN, OverflowMode.SAT));
    }

    @Test
    void hugeAndInfiniteInputs() {
        FixedFormat u12 = FixedFormat.unsigned(12, 0);
        double big = (0x1p52 + 1) * 0x1p10; // 2^62 + 2^10, exactly
        assertEquals(1024, FixedPoint.quantize(big, u12, RoundingMode.RND, OverflowMode.WRAP));
        assertEquals(
                1024,
                FixedPoint.quantize(big * 0x1p50, FixedFormat.unsigned(62, -50), RoundingMode.TRN, OverflowMode.WRAP));
        assertEquals(0, FixedPoint.quantize(1e300, u12, RoundingMode.RND, OverflowMode.WRAP));
        assertEquals(4095, FixedPoint.quantize(1e300, u12, RoundingMode.RND, OverflowMode.SAT));
        assertEquals(-31, FixedPoint.quantize(Double.NEGATIVE_INFINITY, S3_2, RoundingMode.RND, OverflowMode.SAT_SYM));
        assertEquals(31, FixedPoint.quantize(Double.POSITIVE_INFINITY, S3_2, RoundingMode.TRN, OverflowMode.SAT));
        FixedFormat u80 = new FixedFormat(0, 60, 20); // range beyond a long: only the lower bound fits
        assertEquals(0, FixedPoint.quantize(Double.NEGATIVE_INFINITY, u80, RoundingMode.RND, OverflowMode.SAT));
        assertThrows(
                ArithmeticException.class,
                () -> FixedPoint.quantize(Double.POSITIVE_INFINITY, u80, RoundingMode.RND, OverflowMode.SAT));
        IllegalArgumentException wrapInf = assertThrows(
                IllegalArgumentException.class,
                () -> FixedPoint.quantize(Double.POSITIVE_INFINITY, S3_2, RoundingMode.RND, OverflowMode.WRAP));
        assertTrue(wrapInf.getMessage().contains("Infinity"), wrapInf.getMessage());
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> FixedPoint.quantize(Double.NaN, S3_2, RoundingMode.RND, OverflowMode.SAT));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        // a mantissa beyond long: detected, not wrapped
        assertThrows(
                ArithmeticException.class,
                () -> FixedPoint.quantize(1e30, new FixedFormat(1, 64, 0), RoundingMode.TRN, OverflowMode.SAT));
        assertEquals(
                Long.MIN_VALUE,
                FixedPoint.quantize(-0x1p63, new FixedFormat(1, 64, 0), RoundingMode.TRN, OverflowMode.SAT));
    }

    @Test
    void tinyInputs() {
        FixedFormat s = FixedFormat.signed(3, 64);
        assertEquals(0, FixedPoint.quantize(Double.MIN_VALUE, s, RoundingMode.RND, OverflowMode.SAT));
        assertEquals(-1, FixedPoint.quantize(-Double.MIN_VALUE, s, RoundingMode.TRN, OverflowMode.SAT));
        assertEquals(0, FixedPoint.quantize(-Double.MIN_VALUE, s, RoundingMode.TRN_ZERO, OverflowMode.SAT));
        assertEquals(0, FixedPoint.quantize(-Double.MIN_VALUE, s, RoundingMode.RND_MIN_INF, OverflowMode.SAT));
    }

    @Test
    void shiftRightRoundedForLargeShifts() {
        assertEquals(-1, FixedPoint.shiftRightRounded(Long.MIN_VALUE, 63, RoundingMode.RND));
        assertEquals(0, FixedPoint.shiftRightRounded(Long.MIN_VALUE, 64, RoundingMode.RND)); // -1/2, half up
        assertEquals(-1, FixedPoint.shiftRightRounded(Long.MIN_VALUE, 64, RoundingMode.RND_MIN_INF));
        assertEquals(-1, FixedPoint.shiftRightRounded(Long.MIN_VALUE, 64, RoundingMode.RND_INF));
        assertEquals(0, FixedPoint.shiftRightRounded(Long.MIN_VALUE, 64, RoundingMode.RND_CONV));
        assertEquals(0, FixedPoint.shiftRightRounded(Long.MIN_VALUE, 65, RoundingMode.RND_INF));
        assertEquals(-1, FixedPoint.shiftRightRounded(-1, 1000, RoundingMode.TRN));
        assertEquals(0, FixedPoint.shiftRightRounded(-1, 1000, RoundingMode.TRN_ZERO));
        assertEquals(0, FixedPoint.shiftRightRounded(Long.MAX_VALUE, 64, RoundingMode.RND_INF));
        assertEquals(1, FixedPoint.shiftRightRounded(Long.MAX_VALUE, 63, RoundingMode.RND));
        assertEquals(0, FixedPoint.shiftRightRounded(Long.MAX_VALUE, 63, RoundingMode.TRN));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.shiftRightRounded(1, -1, RoundingMode.RND));
    }

    @Test
    void requantizeShiftsBothWays() {
        FixedFormat acc = FixedFormat.signed(10, 6);
        // 13 * 2^-6 = 0.203125 -> step 0.25: RND gives 1 (0.25), TRN gives 0
        assertEquals(1, FixedPoint.requantize(13, acc, S3_2, RoundingMode.RND, OverflowMode.SAT));
        assertEquals(0, FixedPoint.requantize(13, acc, S3_2, RoundingMode.TRN, OverflowMode.SAT));
        assertEquals(208, FixedPoint.requantize(13, S3_2, acc, RoundingMode.TRN, OverflowMode.SAT));
        assertEquals(31, FixedPoint.requantize(65_000, acc, S3_2, RoundingMode.TRN, OverflowMode.SAT));
        // left shift beyond long: SAT clips exactly, WRAP keeps the low bits, SAT into a >long range throws
        FixedFormat wide = new FixedFormat(1, 0, 63);
        assertEquals(
                Long.MAX_VALUE,
                FixedPoint.requantize(3, FixedFormat.signed(4, 0), wide, RoundingMode.TRN, OverflowMode.SAT));
        assertEquals(
                Long.MIN_VALUE,
                FixedPoint.requantize(-3, FixedFormat.signed(4, 0), wide, RoundingMode.TRN, OverflowMode.SAT));
        assertEquals(
                Long.MIN_VALUE,
                FixedPoint.requantize(3, FixedFormat.signed(4, 0), wide, RoundingMode.TRN, OverflowMode.WRAP));
        assertThrows(
                ArithmeticException.class,
                () -> FixedPoint.requantize(
                        3, FixedFormat.signed(4, 0), new FixedFormat(1, 4, 63), RoundingMode.TRN, OverflowMode.SAT));
        IllegalArgumentException outside = assertThrows(
                IllegalArgumentException.class,
                () -> FixedPoint.requantize(32, S3_2, acc, RoundingMode.TRN, OverflowMode.SAT));
        assertTrue(outside.getMessage().contains("32"), outside.getMessage());
    }

    @Test
    void toDoubleIsExactOrRefuses() {
        assertEquals(0.75, FixedPoint.toDouble(3, S3_2));
        assertEquals(-0x1p63 * 0x1p-64, FixedPoint.toDouble(Long.MIN_VALUE, new FixedFormat(1, -1, 64)));
        assertEquals(0x1p-64, FixedPoint.toDouble(1, new FixedFormat(1, 0, 64)));
        assertThrows(ArithmeticException.class, () -> FixedPoint.toDouble((1L << 53) + 1, FixedFormat.signed(60, 0)));
    }
}
