package org.qat4j.hgq.kernel;

import org.qat4j.runtime.fixed.FixedFormat;

/**
 * Exact integer rules that turn recorded ranges and integer mantissas into fixed-point formats
 * (HGQ, arXiv 2405.00645, §4.2 "integer bits from data" and §5 EBOPs). Plain Java, no floats in
 * any decision: logarithms are read from the binary exponent.
 */
public final class HgqBitRules {

    /** Upper clip of data-derived integer bits, as in HGQ v1. */
    public static final int MAX_INTEGER_BITS = 32;

    private HgqBitRules() {}

    /** Smallest e with 2^e ≥ v, for finite v > 0. */
    public static int ceilLog2(double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("ceilLog2 needs a finite positive value, got " + v);
        }
        int e = Math.getExponent(v);
        if (e < Double.MIN_EXPONENT) {
            // subnormal: scale into the normal range, exactly
            return ceilLog2(Math.scalb(v, 64)) - 64;
        }
        return v == Math.scalb(1.0, e) ? e : e + 1;
    }

    /**
     * The HGQ v1 format of an activation whose quantized values (on the grid 2^-f) ranged over
     * [min, max]: {@code k = [min < 0]}, {@code i = max(ceil(log2|min|), ceil(log2(max + 2^-f)))},
     * then {@code i = clip(i, −f−k, 32)}; a zero width becomes (0, 0, 0). An empty range
     * (min > max) keeps the fallback.
     *
     * @param min recorded minimum
     * @param max recorded maximum
     * @param f the (integer) fractional bits
     * @param fallbackK sign bit used when the range is empty
     * @param fallbackI integer bits used when the range is empty
     * @return the format
     */
    public static FixedFormat activationFormat(double min, double max, int f, int fallbackK, int fallbackI) {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("recorded range is NaN: [" + min + ", " + max + "]");
        }
        if (min > max) {
            return new FixedFormat(fallbackK, fallbackI, f);
        }
        int k = min < 0 ? 1 : 0;
        int i = -f - k;
        if (min < 0) {
            i = Math.max(i, ceilLog2(-min));
        }
        if (max > 0) {
            // smallest i with 2^i − 2^-f ≥ max; exact because both sides sit on the 2^-f grid or above
            int c = ceilLog2(max);
            int iMax = (Math.scalb(1.0, c) - Math.scalb(1.0, -f) >= max) ? c : c + 1;
            i = Math.max(i, iMax);
        }
        i = Math.min(Math.max(i, -f - k), MAX_INTEGER_BITS);
        if (k + i + f <= 0) {
            return new FixedFormat(0, 0, 0);
        }
        return new FixedFormat(k, i, f);
    }

    /**
     * Significant bits of a constant integer mantissa: the span from its most significant to its
     * lowest non-zero bit (trailing zeros are free in hardware, the sign is not counted); 0 for 0.
     */
    public static int significantBits(long mantissa) {
        if (mantissa == 0) {
            return 0;
        }
        long a = Math.abs(mantissa);
        return 64 - Long.numberOfLeadingZeros(a) - Long.numberOfTrailingZeros(a);
    }

    /**
     * The tightest format holding the constant {@code m·2^-f}: trailing zeros are moved from the
     * mantissa into f; {@code k = [m < 0]}; i just large enough for the value, where a negative value
     * {@code −2^n} needs only {@code 2^i ≥ 2^n}. Zero gives the zero-width format (0, 0, 0).
     */
    public static FixedFormat constantFormat(long mantissa, int f) {
        if (mantissa == 0) {
            return new FixedFormat(0, 0, 0);
        }
        int tz = Long.numberOfTrailingZeros(mantissa);
        long m = mantissa >> tz;
        int fc = f - tz;
        int k = m < 0 ? 1 : 0;
        long magnitude = m < 0 ? -(m + 1) : m; // for m<0 the range reaches −2^(i+f): need |m| ≤ 2^(i+f)
        int intBitsPlusF = 64 - Long.numberOfLeadingZeros(magnitude);
        return new FixedFormat(k, intBitsPlusF - fc, fc);
    }

    /** The constant's mantissa on the grid of {@link #constantFormat}. */
    public static long canonicalMantissa(long mantissa) {
        return mantissa == 0 ? 0 : mantissa >> Long.numberOfTrailingZeros(mantissa);
    }
}
