package org.qat4j.runtime.bound;

/**
 * The three sums of one output channel's integer weights that the A2Q / A2Q+ bounds speak of:
 * {@code l1 = Σ|q_i|}, {@code posSum = Q+ = Σ_{q>0} q}, {@code negSum = Q− = Σ_{q<0} |q|}
 * (arXiv 2308.13504 Eq. 13; arXiv 2401.10432 Eq. 9). Computed with overflow-checked long arithmetic.
 *
 * @param l1 Σ|q_i| = posSum + negSum
 * @param posSum Q+ (≥ 0)
 * @param negSum Q− as a magnitude (≥ 0)
 */
public record ChannelSums(long l1, long posSum, long negSum) {

    /** Validates the invariants. */
    public ChannelSums {
        if (posSum < 0 || negSum < 0 || l1 != Math.addExact(posSum, negSum)) {
            throw new IllegalArgumentException(
                    "inconsistent channel sums: l1=" + l1 + ", posSum=" + posSum + ", negSum=" + negSum);
        }
    }

    /** Sums of {@code weights}; {@link ArithmeticException} on long overflow. */
    public static ChannelSums of(long[] weights) {
        long pos = 0;
        long neg = 0;
        for (long w : weights) {
            if (w > 0) {
                pos = Math.addExact(pos, w);
            } else if (w < 0) {
                neg = Math.addExact(neg, Math.negateExact(w));
            }
        }
        return new ChannelSums(Math.addExact(pos, neg), pos, neg);
    }
}
