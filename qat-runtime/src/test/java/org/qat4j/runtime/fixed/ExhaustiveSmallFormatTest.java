package org.qat4j.runtime.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every format with {@code k in {0,1}}, {@code -4 <= f <= 8} and width {@code 1..8} (208 formats), plus
 * the zero-width formats of widths -1 and 0 with the same k and f (52), checked against
 * {@link ExactOracle} under all 7 x 3 rounding/overflow pairs: every mantissa grid point from one wrap
 * period below the range to one above it, every exact tie between them with its float64 and float32
 * neighbours, far wrap periods, signed zeros, subnormals and the largest doubles. Then every mantissa of
 * every width-1..8 format requantized into every such format.
 */
class ExhaustiveSmallFormatTest {

    private static final int MIN_F = -4;
    private static final int MAX_F = 8;
    private static final int MAX_WIDTH = 8;
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private static List<FixedFormat> formats(int minWidth) {
        List<FixedFormat> out = new ArrayList<>();
        for (int k = 0; k <= 1; k++) {
            for (int f = MIN_F; f <= MAX_F; f++) {
                for (int w = minWidth; w <= MAX_WIDTH; w++) {
                    out.add(new FixedFormat(k, w - k - f, f));
                }
            }
        }
        return out;
    }

    private static List<Double> inputs(FixedFormat fmt) {
        int width = Math.max(fmt.width(), 0);
        long period = 1L << width;
        long lo = fmt.minMantissa(OverflowMode.SAT);
        long hi = fmt.maxMantissa();
        int f = fmt.f();
        List<Double> xs = new ArrayList<>();
        for (long m = lo - period - 2; m <= hi + period + 2; m++) {
            xs.add(Math.scalb((double) m, -f));
            double tie = Math.scalb(m + 0.5, -f);
            xs.add(tie);
            xs.add(Math.nextDown(tie));
            xs.add(Math.nextUp(tie));
            xs.add((double) Math.nextDown((float) tie));
            xs.add((double) Math.nextUp((float) tie));
        }
        for (long j : new long[] {(1L << 40) + 3, -(1L << 40) - 3, (1L << 45) + 1, -(1L << 45) - 1}) {
            for (long m0 : new long[] {lo, hi, 0}) {
                xs.add(Math.scalb((double) (j * period + m0), -f));
                xs.add(Math.scalb(j * period + m0 + 0.5, -f));
            }
        }
        for (double special : new double[] {
            0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1e300, 0x1p63, 0x1p64, 0x1p53 + 2
        }) {
            xs.add(special);
            xs.add(-special);
        }
        return xs;
    }

    @Test
    void quantizeEqualsOracleOnEverySmallFormat() {
        long checks = 0;
        long tieChecks = 0;
        List<FixedFormat> fmts = formats(-1);
        assertEquals(260, fmts.size());
        for (FixedFormat fmt : fmts) {
            for (double x : inputs(fmt)) {
                BigDecimal y = ExactOracle.scaled(x, fmt.f());
                boolean tie = y.remainder(BigDecimal.ONE).abs().compareTo(HALF) == 0;
                for (RoundingMode r : RoundingMode.values()) {
                    BigInteger rounded = ExactOracle.round(y, r);
                    for (OverflowMode o : OverflowMode.values()) {
                        long expected = ExactOracle.overflow(rounded, fmt, o).longValueExact();
                        long actual = FixedPoint.quantize(x, fmt, r, o);
                        if (expected != actual) {
                            assertEquals(expected, actual, fmt + " " + r + "/" + o + " x=" + x);
                        }
                        checks++;
                        if (tie) {
                            tieChecks++;
                        }
                    }
                }
            }
        }
        // 256,256 inputs x 21 pairs; 43,824 of the inputs are exact ties (the far "ties" beyond 2^53 are not)
        assertEquals(5_381_376L, checks, "checks");
        assertEquals(920_304L, tieChecks, "tie checks");
    }

    @Test
    void requantizeEqualsOracleBetweenEverySmallFormat() {
        long checks = 0;
        List<FixedFormat> fmts = formats(1);
        assertEquals(208, fmts.size());
        for (FixedFormat from : fmts) {
            for (long m = from.minMantissa(OverflowMode.SAT); m <= from.maxMantissa(); m++) {
                for (int f2 = MIN_F; f2 <= MAX_F; f2++) {
                    for (RoundingMode r : RoundingMode.values()) {
                        long rounded = ExactOracle.round(ExactOracle.scaled(m, f2 - from.f()), r)
                                .longValueExact();
                        for (FixedFormat to : fmts) {
                            if (to.f() != f2) {
                                continue;
                            }
                            for (OverflowMode o : OverflowMode.values()) {
                                long expected = ExactOracle.overflowSmall(rounded, to, o);
                                long actual = FixedPoint.requantize(m, from, to, r, o);
                                if (expected != actual) {
                                    assertEquals(expected, actual, from + " -> " + to + " " + r + "/" + o + " m=" + m);
                                }
                                checks++;
                            }
                        }
                    }
                }
            }
        }
        // 13,260 mantissas x 208 target formats x 21 pairs
        assertEquals(57_919_680L, checks, "checks");
    }
}
