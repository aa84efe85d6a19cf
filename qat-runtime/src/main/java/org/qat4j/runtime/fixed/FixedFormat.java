package org.qat4j.runtime.fixed;

/**
 * A fixed-point format {@code (k, i, f)} (HGQ, arXiv 2405.00645, Section 3): {@code k} sign bit,
 * {@code i} integer bits not counting the sign, {@code f} fractional bits; {@code i} and {@code f} may
 * be negative. Values are {@code m * 2^-f} for an integer mantissa {@code m} in
 * {@code [-k * 2^(i+f), 2^(i+f) - 1]}, i.e. the real range {@code [-k * 2^i, 2^i - 2^-f]}.
 *
 * <p>A format of width {@code k + i + f <= 0} is pruned: its only value is 0. Mantissa bounds are
 * {@code long}; {@link #maxMantissa()} and {@link #minMantissa(OverflowMode)} throw
 * {@link ArithmeticException} when {@code i + f > 63}, where they would not fit.
 *
 * @param k sign bit, 0 or 1
 * @param i integer bits (sign excluded), in [-64, 64]
 * @param f fractional bits, in [-64, 64]
 */
public record FixedFormat(int k, int i, int f) {

    /** Largest accepted magnitude of {@code i} and {@code f}. */
    public static final int MAX_ABS_BITS = 64;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException naming the field and value when k is not 0 or 1, or |i| or |f|
     *     exceeds {@value #MAX_ABS_BITS}
     */
    public FixedFormat {
        if (k != 0 && k != 1) {
            throw new IllegalArgumentException("FixedFormat.k must be 0 or 1, got " + k);
        }
        if (Math.abs(i) > MAX_ABS_BITS) {
            throw new IllegalArgumentException(
                    "FixedFormat.i must be in [-" + MAX_ABS_BITS + ", " + MAX_ABS_BITS + "], got " + i);
        }
        if (Math.abs(f) > MAX_ABS_BITS) {
            throw new IllegalArgumentException(
                    "FixedFormat.f must be in [-" + MAX_ABS_BITS + ", " + MAX_ABS_BITS + "], got " + f);
        }
    }

    /**
     * Returns a signed format {@code (1, i, f)}.
     *
     * @param i integer bits excluding the sign
     * @param f fractional bits
     * @return the format
     */
    public static FixedFormat signed(int i, int f) {
        return new FixedFormat(1, i, f);
    }

    /**
     * Returns an unsigned format {@code (0, i, f)}.
     *
     * @param i integer bits
     * @param f fractional bits
     * @return the format
     */
    public static FixedFormat unsigned(int i, int f) {
        return new FixedFormat(0, i, f);
    }

    /**
     * Returns the total width {@code k + i + f} in bits.
     *
     * @return the width, possibly zero or negative
     */
    public int width() {
        return k + i + f;
    }

    /**
     * Returns whether the format has no bits ({@code width() <= 0}): pruned, its value is always 0. Hot exact
     * code tests {@code width() <= 0} instead: HotSpot C2 bug JDK-8376400 can make an inlined boolean check
     * followed by another comparison of the width return wrong results after deoptimization.
     *
     * @return true when pruned
     */
    public boolean isZeroWidth() {
        return width() <= 0;
    }

    /**
     * Returns whether this format is signed ({@code k == 1}).
     *
     * @return true when signed
     */
    public boolean isSigned() {
        return k == 1;
    }

    /**
     * Returns the largest mantissa {@code 2^(i+f) - 1}, or 0 for a zero-width format.
     *
     * @return the largest mantissa
     * @throws ArithmeticException when {@code i + f > 63}
     */
    public long maxMantissa() {
        if (k + i + f <= 0) { // JDK-8376400: an int comparison, not the boolean isZeroWidth()
            return 0L;
        }
        int magnitudeBits = i + f;
        if (magnitudeBits > 63) {
            throw new ArithmeticException(
                    "FixedFormat " + this + ": maximum mantissa 2^" + magnitudeBits + " - 1 does not fit in a long");
        }
        return magnitudeBits == 63 ? Long.MAX_VALUE : (1L << magnitudeBits) - 1;
    }

    /**
     * Returns the smallest mantissa: {@code -k * 2^(i+f)} for {@link OverflowMode#SAT} and
     * {@link OverflowMode#WRAP}, {@code -k * (2^(i+f) - 1)} for {@link OverflowMode#SAT_SYM}; 0 for a
     * zero-width format.
     *
     * @param overflow the overflow mode
     * @return the smallest mantissa
     * @throws ArithmeticException when {@code k == 1} and {@code i + f > 63}
     */
    public long minMantissa(OverflowMode overflow) {
        if (k == 0 || k + i + f <= 0) { // JDK-8376400: int comparisons only
            return 0L;
        }
        long hi = maxMantissa();
        return overflow == OverflowMode.SAT_SYM ? -hi : -hi - 1;
    }

    /**
     * Returns the value of one mantissa step, {@code 2^-f}.
     *
     * @return the step, exact
     */
    public double step() {
        return Math.scalb(1.0, -f);
    }

    /**
     * Returns whether every value of the format, and every step of training on it, is exact in float32:
     * {@code f} in [-24, 24], {@code i} in [-23, 23] and width at most 24 (HGQ's bit clipping).
     *
     * @return true when float32 is exact for this format
     */
    public boolean isFloat32Exact() {
        return f >= -24 && f <= 24 && i >= -23 && i <= 23 && width() <= 24;
    }

    @Override
    public String toString() {
        return "(k=" + k + ", i=" + i + ", f=" + f + ")";
    }
}
