package org.qat4j.runtime.fixed;

/**
 * Rounding of a scaled value {@code y = x * 2^f} to an integer mantissa, as named in HGQ (arXiv
 * 2405.00645, Section 3) and in Xilinx {@code ap_fixed}.
 *
 * <p>With {@code fl = floor(y)} and {@code fr = y - fl}:
 * <ul>
 *   <li>{@link #RND}: {@code floor(y + 1/2)}, ties toward +infinity (the HGQ default);</li>
 *   <li>{@link #RND_CONV}: nearest, ties to even (IEEE, PyTorch {@code round()});</li>
 *   <li>{@link #TRN}: {@code floor(y)};</li>
 *   <li>{@link #TRN_ZERO}: toward zero, {@code sign(y) * floor(|y|)};</li>
 *   <li>{@link #RND_ZERO}: nearest, ties toward zero;</li>
 *   <li>{@link #RND_INF}: nearest, ties away from zero;</li>
 *   <li>{@link #RND_MIN_INF}: nearest, ties toward -infinity, {@code ceil(y - 1/2)}.</li>
 * </ul>
 * Ties are decided by exact comparisons of {@code y} with {@code fl + 1/2}, never from a rounded float
 * sum such as {@code y + 0.5} (which turns the double just below {@code 1/2} into 1).
 */
public enum RoundingMode {
    RND,
    RND_CONV,
    TRN,
    TRN_ZERO,
    RND_ZERO,
    RND_INF,
    RND_MIN_INF;

    /**
     * Rounds {@code y} to an integer-valued double by this rule, exactly. Infinite values and NaN are
     * returned unchanged.
     *
     * @param y the scaled value
     * @return the rounded value
     */
    public double round(double y) {
        if (!Double.isFinite(y)) {
            return y;
        }
        double fl = Math.floor(y);
        if (fl == y) {
            return y; // an integer, including -0.0 and every |y| >= 2^52
        }
        // Not y - fl: for y in (-1, 0) that difference rounds (e.g. y = -0.5 + 2^-54 gives 0.5).
        // A non-integer y has |y| < 2^52, so fl + 0.5 and fl + 1 are exact.
        double mid = fl + 0.5;
        FractionClass c = y < mid ? FractionClass.BELOW_HALF : y == mid ? FractionClass.HALF : FractionClass.ABOVE_HALF;
        boolean odd = (((long) fl) & 1L) != 0;
        return incrementsFloor(c, fl < 0, odd) ? fl + 1.0 : fl;
    }

    /**
     * Decides whether the integer result is {@code floor(y) + 1} rather than {@code floor(y)}.
     *
     * @param c the class of the exact fraction of y
     * @param negative whether y is negative (for a non-integer y, equivalently floor(y) &lt; 0)
     * @param floorOdd whether floor(y) is odd
     * @return true to round up from the floor
     */
    boolean incrementsFloor(FractionClass c, boolean negative, boolean floorOdd) {
        if (c == FractionClass.ZERO) {
            return false;
        }
        switch (this) {
            case TRN:
                return false;
            case TRN_ZERO:
                return negative;
            default:
                break;
        }
        if (c == FractionClass.BELOW_HALF) {
            return false;
        }
        if (c == FractionClass.ABOVE_HALF) {
            return true;
        }
        switch (this) {
            case RND:
                return true;
            case RND_CONV:
                return floorOdd;
            case RND_ZERO:
                return negative;
            case RND_INF:
                return !negative;
            case RND_MIN_INF:
                return false;
            default:
                throw new AssertionError(this);
        }
    }
}
