package org.qat4j.runtime.fixed;

/**
 * Where the exact fractional part {@code y - floor(y)} of a scaled value lies relative to one half.
 * Every rounding rule of {@link RoundingMode} is a function of this class, the sign of {@code y} and the
 * parity of {@code floor(y)}, so deciding it exactly decides the rounding exactly.
 */
enum FractionClass {
    /** {@code y} is an integer. */
    ZERO,
    /** {@code 0 < frac < 1/2}. */
    BELOW_HALF,
    /** {@code frac == 1/2}: a tie. */
    HALF,
    /** {@code 1/2 < frac < 1}. */
    ABOVE_HALF
}
