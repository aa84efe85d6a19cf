package org.qat4j.runtime.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link FixedPoint} over random formats (widths up to 62 bits, and beyond a long for the
 * overflow-detection properties) and random values of every magnitude. 150,000 tries in all, each
 * checking every applicable rounding/overflow pair.
 */
class FixedPointPropertiesTest {

    private static final OverflowMode[] SATURATING = {OverflowMode.SAT, OverflowMode.SAT_SYM};

    /** A format of width {@code w} with the given k and f, or null when i would leave [-64, 64]. */
    private static FixedFormat format(int k, int f, int w) {
        int i = w - k - f;
        return Math.abs(i) <= FixedFormat.MAX_ABS_BITS ? new FixedFormat(k, i, f) : null;
    }

    /** A mantissa of fmt (whose range must fit a long) drawn from a raw random long. */
    private static long mantissaIn(FixedFormat fmt, long raw) {
        long lo = fmt.minMantissa(OverflowMode.SAT);
        long hi = fmt.maxMantissa();
        long span = hi - lo + 1; // positive while width <= 62
        return lo + Math.floorMod(raw, span);
    }

    /** A value near fmt's grid: a signed mantissa of {@code bits} bits times {@code 2^(e - f)}. */
    private static double valueNear(FixedFormat fmt, long raw, int bits, int e) {
        long mant = raw >> (64 - bits);
        return Math.scalb((double) mant, e - fmt.f());
    }

    @Property(tries = 20_000)
    void quantizeIsIdempotentOnGridPoints(
            @ForAll @IntRange(min = 0, max = 1) int k,
            @ForAll @IntRange(min = -64, max = 64) int f,
            @ForAll @IntRange(min = 1, max = 53) int w,
            @ForAll long raw) {
        FixedFormat fmt = format(k, f, w);
        Assume.that(fmt != null);
        long m = mantissaIn(fmt, raw);
        double x = FixedPoint.toDouble(m, fmt);
        for (RoundingMode r : RoundingMode.values()) {
            for (OverflowMode o : OverflowMode.values()) {
                long expected = o == OverflowMode.SAT_SYM ? Math.max(m, fmt.minMantissa(o)) : m;
                assertEquals(expected, FixedPoint.quantize(x, fmt, r, o), fmt + " " + r + "/" + o + " m=" + m);
                assertEquals(expected, FixedPoint.requantize(m, fmt, fmt, r, o));
            }
        }
    }

    @Property(tries = 20_000)
    void quantizeIsMonotoneUnderSaturation(
            @ForAll @IntRange(min = 0, max = 1) int k,
            @ForAll @IntRange(min = -64, max = 64) int f,
            @ForAll @IntRange(min = 1, max = 62) int w,
            @ForAll long raw1,
            @ForAll long raw2,
            @ForAll @IntRange(min = 1, max = 53) int bits,
            @ForAll @IntRange(min = -70, max = 70) int e1,
            @ForAll @IntRange(min = -70, max = 70) int e2) {
        FixedFormat fmt = format(k, f, w);
        Assume.that(fmt != null);
        double a = valueNear(fmt, raw1, bits, e1);
        double b = valueNear(fmt, raw2, bits, e2);
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        for (RoundingMode r : RoundingMode.values()) {
            for (OverflowMode o : SATURATING) {
                long qlo = FixedPoint.quantize(lo, fmt, r, o);
                long qhi = FixedPoint.quantize(hi, fmt, r, o);
                assertTrue(qlo <= qhi, fmt + " " + r + "/" + o + ": q(" + lo + ")=" + qlo + " > q(" + hi + ")=" + qhi);
            }
        }
    }

    /**
     * Inside the range, the error is below one step for the truncations and at most half a step for the
     * round-to-nearest rules. Values are {@code raw * 2^-(f + extra)} so the error is an exact long.
     */
    @Property(tries = 20_000)
    void errorIsBoundedInsideTheRange(
            @ForAll @IntRange(min = 0, max = 1) int k,
            @ForAll @IntRange(min = -64, max = 64) int f,
            @ForAll @IntRange(min = 1, max = 32) int w,
            @ForAll @IntRange(min = 0, max = 20) int extra,
            @ForAll long raw) {
        FixedFormat fmt = format(k, f, w);
        Assume.that(fmt != null && f + extra <= FixedFormat.MAX_ABS_BITS);
        long hi = fmt.maxMantissa() << extra;
        long lo = -hi * k;
        long fine = lo + Math.floorMod(raw, hi - lo + 1);
        double x = Math.scalb((double) fine, -(f + extra));
        long unit = 1L << extra;
        for (RoundingMode r : RoundingMode.values()) {
            for (OverflowMode o : OverflowMode.values()) {
                long q = FixedPoint.quantize(x, fmt, r, o);
                long err = (q << extra) - fine;
                String where = fmt + " " + r + "/" + o + " x=" + x + " q=" + q;
                switch (r) {
                    case TRN:
                        assertTrue(err <= 0 && err > -unit, where);
                        break;
                    case TRN_ZERO:
                        assertTrue(Math.abs(err) < unit && Math.abs(q << extra) <= Math.abs(fine), where);
                        break;
                    default:
                        assertTrue(2 * Math.abs(err) <= unit, where);
                        break;
                }
            }
        }
    }

    @Property(tries = 20_000)
    void requantizeEqualsQuantizeOfTheValue(
            @ForAll @IntRange(min = 0, max = 1) int k1,
            @ForAll @IntRange(min = -64, max = 64) int f1,
            @ForAll @IntRange(min = 1, max = 53) int w1,
            @ForAll long raw,
            @ForAll @IntRange(min = 0, max = 1) int k2,
            @ForAll @IntRange(min = -64, max = 64) int f2,
            @ForAll @IntRange(min = -1, max = 62) int w2) {
        FixedFormat from = format(k1, f1, w1);
        FixedFormat to = format(k2, f2, w2);
        Assume.that(from != null && to != null);
        long m = mantissaIn(from, raw);
        double value = FixedPoint.toDouble(m, from); // exact: at most 53 bits
        for (RoundingMode r : RoundingMode.values()) {
            for (OverflowMode o : OverflowMode.values()) {
                assertEquals(
                        FixedPoint.quantize(value, to, r, o),
                        FixedPoint.requantize(m, from, to, r, o),
                        from + " -> " + to + " " + r + "/" + o + " m=" + m);
            }
        }
    }

    /**
     * Any format (widths up to 129 bits and zero width) and any finite double: the exact oracle's
     * mantissa when it fits in a long, otherwise an ArithmeticException, never a wrapped long.
     */
    @Property(tries = 30_000)
    void quantizeEqualsOracleOrDetectsLongOverflow(
            @ForAll @IntRange(min = 0, max = 1) int k,
            @ForAll @IntRange(min = -64, max = 64) int i,
            @ForAll @IntRange(min = -64, max = 64) int f,
            @ForAll long raw,
            @ForAll boolean rawBits,
            @ForAll @IntRange(min = 1, max = 53) int bits,
            @ForAll @IntRange(min = -80, max = 80) int e) {
        FixedFormat fmt = new FixedFormat(k, i, f);
        double x = rawBits ? Double.longBitsToDouble(raw) : valueNear(fmt, raw, bits, e);
        Assume.that(Double.isFinite(x));
        for (RoundingMode r : RoundingMode.values()) {
            BigInteger rounded = ExactOracle.round(ExactOracle.scaled(x, f), r);
            for (OverflowMode o : OverflowMode.values()) {
                BigInteger expected = ExactOracle.overflow(rounded, fmt, o);
                String where = fmt + " " + r + "/" + o + " x=" + x;
                if (ExactOracle.fitsLong(expected)) {
                    assertEquals(expected.longValueExact(), FixedPoint.quantize(x, fmt, r, o), where);
                } else {
                    assertThrows(ArithmeticException.class, () -> FixedPoint.quantize(x, fmt, r, o), where);
                }
            }
        }
    }

    @Property(tries = 20_000)
    void requantizeEqualsOracleOrDetectsLongOverflow(
            @ForAll @IntRange(min = 0, max = 1) int k1,
            @ForAll @IntRange(min = -64, max = 64) int f1,
            @ForAll @IntRange(min = 1, max = 62) int w1,
            @ForAll long raw,
            @ForAll @IntRange(min = 0, max = 1) int k2,
            @ForAll @IntRange(min = -64, max = 64) int i2,
            @ForAll @IntRange(min = -64, max = 64) int f2) {
        FixedFormat from = format(k1, f1, w1);
        Assume.that(from != null);
        FixedFormat to = new FixedFormat(k2, i2, f2);
        long m = mantissaIn(from, raw);
        for (RoundingMode r : RoundingMode.values()) {
            BigInteger rounded = ExactOracle.round(ExactOracle.scaled(m, f2 - from.f()), r);
            for (OverflowMode o : OverflowMode.values()) {
                BigInteger expected = ExactOracle.overflow(rounded, to, o);
                String where = from + " -> " + to + " " + r + "/" + o + " m=" + m;
                if (ExactOracle.fitsLong(expected)) {
                    assertEquals(expected.longValueExact(), FixedPoint.requantize(m, from, to, r, o), where);
                } else {
                    assertThrows(ArithmeticException.class, () -> FixedPoint.requantize(m, from, to, r, o), where);
                }
            }
        }
    }

    /** Any long with any number of fractional bits, into any format. */
    @Property(tries = 10_000)
    void rescaleEqualsOracleOrDetectsLongOverflow(
            @ForAll long m,
            @ForAll @IntRange(min = -200, max = 200) int fromF,
            @ForAll @IntRange(min = 0, max = 1) int k,
            @ForAll @IntRange(min = -64, max = 64) int i,
            @ForAll @IntRange(min = -64, max = 64) int f) {
        FixedFormat to = new FixedFormat(k, i, f);
        for (RoundingMode r : RoundingMode.values()) {
            BigInteger rounded = ExactOracle.round(ExactOracle.scaled(m, f - fromF), r);
            for (OverflowMode o : OverflowMode.values()) {
                BigInteger expected = ExactOracle.overflow(rounded, to, o);
                String where = m + " * 2^-" + fromF + " -> " + to + " " + r + "/" + o;
                if (ExactOracle.fitsLong(expected)) {
                    assertEquals(expected.longValueExact(), FixedPoint.rescale(m, fromF, to, r, o), where);
                } else {
                    assertThrows(ArithmeticException.class, () -> FixedPoint.rescale(m, fromF, to, r, o), where);
                }
            }
        }
    }

    @Property(tries = 10_000)
    void roundingModeRoundEqualsOracle(
            @ForAll long raw,
            @ForAll boolean rawBits,
            @ForAll @IntRange(min = 1, max = 53) int bits,
            @ForAll @IntRange(min = -60, max = 60) int e) {
        double y = rawBits ? Double.longBitsToDouble(raw) : Math.scalb((double) (raw >> (64 - bits)), e);
        Assume.that(Double.isFinite(y));
        BigDecimal exact = new BigDecimal(y);
        for (RoundingMode r : RoundingMode.values()) {
            double got = r.round(y);
            assertEquals(ExactOracle.round(exact, r), new BigDecimal(got).toBigIntegerExact(), r + " y=" + y);
        }
    }
}
