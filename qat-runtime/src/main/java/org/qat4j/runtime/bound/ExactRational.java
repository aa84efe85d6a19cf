package org.qat4j.runtime.bound;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An exact non-negative-denominator rational {@code numerator / denominator} in lowest terms.
 *
 * <p>Accumulator bounds such as T_A2Q = (2^(P−1)−1)·2^(σ−N) (arXiv 2308.13504, Eq. 13) and
 * T_A2Q+ = (2^P−2)/(2^N−1) (arXiv 2401.10432, Eq. 9) are generally not integers; comparing an integer
 * L1 norm against a rounded double would misjudge the boundary case, so they are kept as exact fractions.
 *
 * @param numerator the numerator (any sign)
 * @param denominator the denominator, strictly positive
 */
public record ExactRational(BigInteger numerator, BigInteger denominator) implements Comparable<ExactRational> {

    /** Validates and normalises to lowest terms. */
    public ExactRational {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("denominator must be > 0, got " + denominator);
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
    }

    /** {@code n / d}. */
    public static ExactRational of(BigInteger n, BigInteger d) {
        return new ExactRational(n, d);
    }

    /** The integer {@code n}. */
    public static ExactRational of(long n) {
        return new ExactRational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    /** This value divided by two (exact). */
    public ExactRational half() {
        return new ExactRational(numerator, denominator.shiftLeft(1));
    }

    /** This value multiplied by {@code factor} (exact). */
    public ExactRational multiply(BigInteger factor) {
        return new ExactRational(numerator.multiply(factor), denominator);
    }

    /** The largest integer ≤ this value. */
    public BigInteger floor() {
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    /** True if the denominator is one. */
    public boolean isInteger() {
        return denominator.equals(BigInteger.ONE);
    }

    /** Exact comparison with an integer. */
    public int compareTo(long value) {
        return numerator.compareTo(denominator.multiply(BigInteger.valueOf(value)));
    }

    /** Exact comparison with an integer. */
    public int compareTo(BigInteger value) {
        return numerator.compareTo(denominator.multiply(value));
    }

    @Override
    public int compareTo(ExactRational o) {
        return numerator.multiply(o.denominator).compareTo(o.numerator.multiply(denominator));
    }

    /**
     * Nearest double (for display and for float training code only; never use it for a bound decision).
     * Correctly rounded via {@link java.math.BigDecimal} division with enough digits.
     */
    public double toDouble() {
        return new java.math.BigDecimal(numerator)
                .divide(new java.math.BigDecimal(denominator), java.math.MathContext.DECIMAL128)
                .doubleValue();
    }

    @Override
    public String toString() {
        return isInteger() ? numerator.toString() : numerator + "/" + denominator;
    }
}
