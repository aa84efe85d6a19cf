package org.qat4j.runtime.fixed;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Independent test oracle: the definitions of HGQ's rounding and overflow modes evaluated in
 * {@link BigDecimal}/{@link BigInteger}, with no code shared with {@link FixedPoint}. Rounding uses
 * {@link java.math.RoundingMode} on the exact decimal expansion of {@code x * 2^f}; overflow uses the
 * textbook formulas {@code hi = 2^(B-k) - 1}, {@code lo = -(hi + 1) k} and {@code ((m - lo) mod 2^B) + lo}.
 */
final class ExactOracle {

    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private ExactOracle() {}

    /** The exact real number {@code x * 2^f}. */
    static BigDecimal scaled(double x, int f) {
        BigDecimal v = new BigDecimal(x);
        return f >= 0 ? v.multiply(TWO.pow(f)) : v.divide(TWO.pow(-f));
    }

    /** The exact real number {@code m * 2^shift}. */
    static BigDecimal scaled(long m, int shift) {
        BigDecimal v = BigDecimal.valueOf(m);
        return shift >= 0 ? v.multiply(TWO.pow(shift)) : v.divide(TWO.pow(-shift));
    }

    static BigInteger round(BigDecimal y, RoundingMode r) {
        switch (r) {
            case RND:
                return y.add(HALF).setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
            case RND_CONV:
                return y.setScale(0, java.math.RoundingMode.HALF_EVEN).toBigIntegerExact();
            case TRN:
                return y.setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
            case TRN_ZERO:
                return y.setScale(0, java.math.RoundingMode.DOWN).toBigIntegerExact();
            case RND_ZERO:
                return y.setScale(0, java.math.RoundingMode.HALF_DOWN).toBigIntegerExact();
            case RND_INF:
                return y.setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
            case RND_MIN_INF:
                return y.subtract(HALF)
                        .setScale(0, java.math.RoundingMode.CEILING)
                        .toBigIntegerExact();
            default:
                throw new AssertionError(r);
        }
    }

    static BigInteger overflow(BigInteger m, FixedFormat fmt, OverflowMode o) {
        int b = fmt.k() + fmt.i() + fmt.f();
        if (b <= 0) {
            return BigInteger.ZERO;
        }
        BigInteger hi = BigInteger.TWO.pow(b - fmt.k()).subtract(BigInteger.ONE);
        BigInteger lo = hi.add(BigInteger.ONE).negate().multiply(BigInteger.valueOf(fmt.k()));
        switch (o) {
            case SAT:
                return m.max(lo).min(hi);
            case SAT_SYM:
                return m.max(hi.negate().multiply(BigInteger.valueOf(fmt.k()))).min(hi);
            case WRAP:
                return m.subtract(lo).mod(BigInteger.TWO.pow(b)).add(lo);
            default:
                throw new AssertionError(o);
        }
    }

    /** {@link #overflow} in long arithmetic for widths up to 62 bits, with the same formulas. */
    static long overflowSmall(long m, FixedFormat fmt, OverflowMode o) {
        int b = fmt.k() + fmt.i() + fmt.f();
        if (b <= 0) {
            return 0L;
        }
        if (b > 62) {
            throw new IllegalArgumentException("overflowSmall needs a width <= 62: " + fmt);
        }
        long hi = (long) Math.pow(2, b - fmt.k()) - 1;
        long lo = -(hi + 1) * fmt.k();
        switch (o) {
            case SAT:
                return Math.min(Math.max(m, lo), hi);
            case SAT_SYM:
                return Math.min(Math.max(m, -hi * fmt.k()), hi);
            case WRAP:
                return Math.floorMod(m - lo, (long) Math.pow(2, b)) + lo;
            default:
                throw new AssertionError(o);
        }
    }

    static BigInteger quantize(double x, FixedFormat fmt, RoundingMode r, OverflowMode o) {
        return overflow(round(scaled(x, fmt.f()), r), fmt, o);
    }

    static BigInteger requantize(long m, FixedFormat from, FixedFormat to, RoundingMode r, OverflowMode o) {
        return overflow(round(scaled(m, to.f() - from.f()), r), to, o);
    }

    /** Whether a BigInteger fits in a long. */
    static boolean fitsLong(BigInteger v) {
        return v.bitLength() <= 63;
    }
}
