package org.qat4j.runtime.fixed;

import java.math.BigInteger;

/**
 * Exact fixed-point quantization on {@code long} mantissas (HGQ, arXiv 2405.00645, Section 3).
 *
 * <p>{@code quantize(x) = O(R(x * 2^f))}: the real number {@code x * 2^f} is rounded by
 * {@link RoundingMode} {@code R} and the integer is brought into the format's range by
 * {@link OverflowMode} {@code O}. Saturation clips to grid points, so clipping before or after rounding
 * gives the same mantissa; wrapping acts on the rounded integer. A double is a dyadic rational
 * {@code M * 2^E}, so {@code x * 2^f} is never formed in floating point: rounding is an integer right
 * shift of {@code M} with the tie decided from the shifted-out bits, and wrapping keeps the low bits.
 *
 * <p>Results are exact or an exception: {@link ArithmeticException} when the result does not fit in a
 * {@code long} (possible only for formats with {@code i + f > 63}), {@link IllegalArgumentException}
 * for NaN, for infinities under WRAP and for mantissas outside their declared format.
 */
public final class FixedPoint {

    private static final int DOUBLE_SIGNIFICAND_BITS = 52;
    private static final int DOUBLE_EXPONENT_BIAS = 1075; // 1023 + 52: exponent of the significand's LSB

    private FixedPoint() {}

    /**
     * Quantizes {@code x} to the mantissa {@code O(R(x * 2^f))} of {@code fmt}; its value is
     * {@code m * 2^-f}. Zero-width formats give 0.
     *
     * @param x the value, finite, or infinite under SAT/SAT_SYM (clipped)
     * @param fmt the target format
     * @param rounding the rounding rule
     * @param overflow the overflow rule
     * @return the mantissa
     * @throws IllegalArgumentException if x is NaN, or infinite under WRAP
     * @throws ArithmeticException if the mantissa does not fit in a long
     */
    public static long quantize(double x, FixedFormat fmt, RoundingMode rounding, OverflowMode overflow) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("cannot quantize NaN to " + fmt);
        }
        // JDK-8376400: zero width is an int comparison, never the inlined boolean isZeroWidth() (see architecture.md)
        if (fmt.width() <= 0) {
            return 0L;
        }
        if (Double.isInfinite(x)) {
            if (overflow == OverflowMode.WRAP) {
                throw new IllegalArgumentException(
                        "cannot wrap " + x + " into " + fmt + ": an infinite value has no residue; use SAT or SAT_SYM");
            }
            return x > 0 ? fmt.maxMantissa() : fmt.minMantissa(overflow);
        }
        if (x == 0.0) {
            return 0L;
        }
        long bits = Double.doubleToRawLongBits(x);
        int biased = (int) ((bits >>> DOUBLE_SIGNIFICAND_BITS) & 0x7ffL);
        long significand = bits & ((1L << DOUBLE_SIGNIFICAND_BITS) - 1);
        int exponent;
        if (biased == 0) {
            exponent = 1 - DOUBLE_EXPONENT_BIAS; // subnormal
        } else {
            significand |= 1L << DOUBLE_SIGNIFICAND_BITS;
            exponent = biased - DOUBLE_EXPONENT_BIAS;
        }
        long signed = bits < 0 ? -significand : significand;
        // x * 2^f = signed * 2^shift exactly
        int shift = exponent + fmt.f();
        if (shift <= 0) {
            return applyOverflow(shiftRightRounded(signed, -shift, rounding), fmt, overflow);
        }
        return scaleUpAndApplyOverflow(signed, shift, fmt, overflow);
    }

    /**
     * Returns the value {@code m * 2^-f} of a mantissa.
     *
     * @param m the mantissa
     * @param fmt its format
     * @return the exact value
     * @throws ArithmeticException if the value is not exactly representable as a double (more than 53
     *     significant bits)
     */
    public static double toDouble(long m, FixedFormat fmt) {
        if (m != 0) {
            long odd = m >> Long.numberOfTrailingZeros(m);
            if (odd > (1L << 53) || odd < -(1L << 53)) {
                throw new ArithmeticException(
                        "mantissa " + m + " of " + fmt + " has more than 53 significant bits: not exact as a double");
            }
        }
        // |m| * 2^-f with f <= 64 and at most 53 significant bits never leaves the normal double range
        return Math.scalb((double) m, -fmt.f());
    }

    /**
     * Moves a mantissa from one format to another with integer shifts only:
     * {@code O(R(m * 2^(to.f - from.f)))}. A right shift rounds by {@code rounding}; a left shift is
     * exact. The input must be a valid mantissa of {@code from} (within its two's-complement range, 0
     * for a zero-width format).
     *
     * @param m the mantissa in {@code from}
     * @param from its format
     * @param to the target format
     * @param rounding the rounding rule for a right shift
     * @param overflow the overflow rule of {@code to}
     * @return the mantissa in {@code to}
     * @throws IllegalArgumentException if m is outside {@code from}'s range
     * @throws ArithmeticException if the result does not fit in a long
     */
    public static long requantize(
            long m, FixedFormat from, FixedFormat to, RoundingMode rounding, OverflowMode overflow) {
        checkMantissa(m, from);
        return rescale(m, from.f(), to, rounding, overflow);
    }

    /**
     * Like {@link #requantize} for any integer {@code m} with {@code fromF} fractional bits (an
     * accumulator, say), without a source format: {@code O(R(m * 2^(to.f - fromF)))}.
     *
     * @param m the integer, value {@code m * 2^-fromF}
     * @param fromF its fractional bits
     * @param to the target format
     * @param rounding the rounding rule for a right shift
     * @param overflow the overflow rule of {@code to}
     * @return the mantissa in {@code to}
     * @throws ArithmeticException if the result does not fit in a long
     */
    public static long rescale(long m, int fromF, FixedFormat to, RoundingMode rounding, OverflowMode overflow) {
        if (to.width() <= 0) { // JDK-8376400: an int comparison, not isZeroWidth()
            return 0L;
        }
        // any right shift of 64 or more rounds the same way, so clamping keeps the int in range
        long shift = Math.max(Math.min((long) to.f() - fromF, 1024L), -1024L);
        if (shift <= 0) {
            return applyOverflow(shiftRightRounded(m, (int) -shift, rounding), to, overflow);
        }
        return scaleUpAndApplyOverflow(m, (int) shift, to, overflow);
    }

    /**
     * Rounds {@code m / 2^shift} to an integer by {@code rounding}, exactly, for any shift &gt;= 0
     * (shifts of 64 and more included).
     *
     * @param m the integer
     * @param shift the number of bits to drop, &gt;= 0
     * @param rounding the rounding rule
     * @return the rounded quotient
     * @throws IllegalArgumentException if shift is negative
     */
    public static long shiftRightRounded(long m, int shift, RoundingMode rounding) {
        if (shift < 0) {
            throw new IllegalArgumentException("shift must be >= 0, got " + shift);
        }
        if (shift == 0 || m == 0) {
            return m;
        }
        long floor;
        FractionClass c;
        if (shift >= 64) {
            // |m| <= 2^63 <= 2^shift / 2: the quotient lies in [-1/2, 1/2)
            if (m > 0) {
                floor = 0;
                c = FractionClass.BELOW_HALF;
            } else {
                floor = -1;
                c = (shift == 64 && m == Long.MIN_VALUE) ? FractionClass.HALF : FractionClass.ABOVE_HALF;
            }
        } else {
            floor = m >> shift;
            long rest = m & (-1L >>> (64 - shift)); // the dropped bits, in [0, 2^shift)
            long half = 1L << (shift - 1);
            c = rest == 0
                    ? FractionClass.ZERO
                    : Long.compareUnsigned(rest, half) < 0
                            ? FractionClass.BELOW_HALF
                            : rest == half ? FractionClass.HALF : FractionClass.ABOVE_HALF;
        }
        // floor + 1 cannot overflow: a non-zero fraction means floor < m / 2^shift <= Long.MAX_VALUE / 2
        return rounding.incrementsFloor(c, floor < 0, (floor & 1L) != 0) ? floor + 1 : floor;
    }

    /**
     * Brings an integer into the mantissa range of {@code to} by {@code overflow}: clip for SAT/SAT_SYM,
     * two's-complement wrap modulo {@code 2^width} for WRAP. Zero-width formats give 0.
     *
     * @param m the integer
     * @param to the format
     * @param overflow the overflow rule
     * @return the mantissa
     * @throws ArithmeticException if the wrapped result does not fit in a long (unsigned formats wider
     *     than 63 bits)
     */
    public static long applyOverflow(long m, FixedFormat to, OverflowMode overflow) {
        // JDK-8376400: C2 folded a split `isZeroWidth()` test and the later `width < 64` into one trap whose
        // saved state re-ran the first test on the constant true, returning 0. Every test here is a plain
        // int comparison on a local read once; no inlined boolean method guards a branch.
        int width = to.width();
        if (width <= 0) {
            return 0L;
        }
        int signBit = to.k();
        int magnitudeBits = to.i() + to.f();
        if (overflow == OverflowMode.WRAP) {
            if (width < 64) {
                return signBit != 0 ? (m << (64 - width)) >> (64 - width) : m & (-1L >>> (64 - width));
            }
            if (signBit != 0 || m >= 0) {
                return m; // the format's range contains every long of this sign
            }
            throw new ArithmeticException("wrapping " + m + " into unsigned " + to + " gives m + 2^" + width
                    + ", which does not fit in a long");
        }
        if (magnitudeBits <= 63) {
            long hi = to.maxMantissa();
            long lo = to.minMantissa(overflow);
            return Math.min(Math.max(m, lo), hi);
        }
        // the range exceeds long on the upper side (and on the lower side when signed)
        return signBit != 0 ? m : Math.max(m, 0L);
    }

    /**
     * Returns whether {@code m} is a mantissa of {@code fmt}: within {@code [-k * 2^(i+f), 2^(i+f) - 1]},
     * and 0 for a zero-width format.
     *
     * @param m the integer
     * @param fmt the format
     * @return true when m is representable in fmt
     */
    public static boolean isMantissa(long m, FixedFormat fmt) {
        if (fmt.width() <= 0) { // JDK-8376400: int comparisons only
            return m == 0;
        }
        if (fmt.i() + fmt.f() > 63) {
            return fmt.k() != 0 || m >= 0;
        }
        return m >= fmt.minMantissa(OverflowMode.SAT) && m <= fmt.maxMantissa();
    }

    /**
     * Reproduces the float32 arithmetic of HGQ2's NumPy reference quantizer (the {@code quantizers}
     * package), including its rounding trap: RND, RND_INF and RND_MIN_INF compute
     * {@code floor(y + 0.5)} in float32, so the float just below a half step rounds up. For compatibility
     * tests only; use {@link #quantize} for exact results.
     *
     * @param x the float32 input
     * @param fmt the format (the reference uses {@code i_eff = max(i, -f)} and does not prune zero width)
     * @param rounding the rounding rule
     * @param overflow the overflow rule
     * @return the reference's float32 output, signed zeros included
     */
    public static float quantizeLikeReferenceFloat32(
            float x, FixedFormat fmt, RoundingMode rounding, OverflowMode overflow) {
        return ReferenceFloat32Quantizer.quantize(x, fmt, rounding, overflow);
    }

    private static void checkMantissa(long m, FixedFormat fmt) {
        if (!isMantissa(m, fmt)) {
            throw new IllegalArgumentException("mantissa " + m + " is outside the range of format " + fmt);
        }
    }

    /** Applies overflow to {@code value * 2^shift}, shift &gt; 0, without ever forming a wrong long. */
    private static long scaleUpAndApplyOverflow(long value, int shift, FixedFormat to, OverflowMode overflow) {
        if (value == 0) {
            return 0L;
        }
        // fits when the magnitude has at least shift + 1 leading zero bits (sign bit kept)
        long magnitudeProbe = value < 0 ? ~value : value;
        if (shift < 63 && Long.numberOfLeadingZeros(magnitudeProbe) > shift) {
            return applyOverflow(value << shift, to, overflow);
        }
        BigInteger big = BigInteger.valueOf(value).shiftLeft(shift);
        return applyOverflowExact(big, to, overflow);
    }

    private static long applyOverflowExact(BigInteger v, FixedFormat to, OverflowMode overflow) {
        int magnitudeBits = to.i() + to.f();
        BigInteger result;
        if (overflow == OverflowMode.WRAP) {
            BigInteger period = BigInteger.ONE.shiftLeft(to.width());
            BigInteger lo =
                    to.isSigned() ? BigInteger.ONE.shiftLeft(magnitudeBits).negate() : BigInteger.ZERO;
            result = v.subtract(lo).mod(period).add(lo);
        } else {
            BigInteger hi = BigInteger.ONE.shiftLeft(magnitudeBits).subtract(BigInteger.ONE);
            BigInteger lo;
            if (!to.isSigned()) {
                lo = BigInteger.ZERO;
            } else if (overflow == OverflowMode.SAT_SYM) {
                lo = hi.negate();
            } else {
                lo = hi.add(BigInteger.ONE).negate();
            }
            result = v.max(lo).min(hi);
        }
        try {
            return result.longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException(
                    "mantissa " + result + " in format " + to + " (" + overflow + ") does not fit in a long");
        }
    }
}
