package org.qat4j.runtime.bound;

import java.math.BigInteger;

/**
 * Exact accumulator bounds of A2Q and A2Q+ for one output channel (one dot product).
 *
 * <ul>
 *   <li>A2Q (Colbert et al., arXiv 2308.13504, Eq. 13): {@code ‖q‖₁ ≤ T_A2Q(P, N, σ) = (2^(P−1) − 1)·2^(σ − N)},
 *       because every partial sum satisfies {@code |Σ q_i x_i| ≤ 2^(N−σ)·‖q‖₁ ≤ 2^(P−1) − 1}.</li>
 *   <li>A2Q+ (Colbert et al., arXiv 2401.10432, Eq. 9): {@code T_A2Q+(P, N) = (2^P − 2)/(2^N − 1)} and, per sign
 *       half, {@code Q+ = Σ_{q>0} q ≤ T/2} and {@code Q− = Σ_{q<0} |q| ≤ T/2}; since
 *       {@code x_max − x_min = 2^N − 1} for any N-bit input, every partial sum lies within ±(2^(P−1) − 1).</li>
 *   <li>Minimum accumulator width (arXiv 2308.13504, Eq. 12): with {@code α = log2(‖q‖₁) + N − σ},
 *       {@code P_min = ceil(α + log2(1 + 2^−α) + 1)} {@code = ceil(log2(‖q‖₁·2^(N−σ) + 1)) + 1}.</li>
 * </ul>
 *
 * <p>All decisions are exact integer comparisons (multiplied out, in {@link BigInteger}); there is no
 * floating point anywhere in this class. {@code P} must lie in [1, 64] and {@code N} in [1, 63].
 */
public final class A2qBounds {

    /** Largest accumulator width accepted: the certificate's intervals are computed in long. */
    public static final int MAX_ACCUMULATOR_BITS = 64;
    /** Largest input width accepted. */
    public static final int MAX_INPUT_BITS = 63;

    private A2qBounds() {}

    /** {@code T_A2Q(P, N, σ) = (2^(P−1) − 1) · 2^(σ − N)} as an exact rational. */
    public static ExactRational tA2q(int accumulatorBits, int inputBits, boolean inputSigned) {
        checkP(accumulatorBits);
        checkN(inputBits);
        int sigma = inputSigned ? 1 : 0;
        BigInteger a = safeMagnitude(accumulatorBits);
        int shift = inputBits - sigma; // ≥ 0 since N ≥ 1 ≥ σ
        return ExactRational.of(a, BigInteger.ONE.shiftLeft(shift));
    }

    /** {@code T_A2Q+(P, N) = (2^P − 2) / (2^N − 1)} as an exact rational (independent of the input sign). */
    public static ExactRational tA2qPlus(int accumulatorBits, int inputBits) {
        checkP(accumulatorBits);
        checkN(inputBits);
        BigInteger num = BigInteger.ONE.shiftLeft(accumulatorBits).subtract(BigInteger.TWO);
        return ExactRational.of(num, inputRangeWidth(inputBits));
    }

    /** Largest integer L1 norm allowed by A2Q: {@code floor(T_A2Q)}. */
    public static long maxL1A2q(int accumulatorBits, int inputBits, boolean inputSigned) {
        return tA2q(accumulatorBits, inputBits, inputSigned).floor().longValueExact();
    }

    /** Largest integer sign-half sum allowed by A2Q+: {@code floor(T_A2Q+ / 2) = floor((2^(P−1)−1)/(2^N−1))}. */
    public static long maxHalfSumA2qPlus(int accumulatorBits, int inputBits) {
        return tA2qPlus(accumulatorBits, inputBits).half().floor().longValueExact();
    }

    /** Exactly decides {@code l1 ≤ T_A2Q(P, N, σ)}; {@code l1} must be ≥ 0. */
    public static boolean satisfiesA2q(long l1, int accumulatorBits, int inputBits, boolean inputSigned) {
        if (l1 < 0) {
            throw new IllegalArgumentException("l1 must be >= 0, got " + l1);
        }
        return tA2q(accumulatorBits, inputBits, inputSigned).compareTo(l1) >= 0;
    }

    /**
     * Exactly decides {@code Q+ ≤ T_A2Q+/2 and Q− ≤ T_A2Q+/2}.
     *
     * @param posSum Q+, the sum of the positive integer weights (≥ 0)
     * @param negSum Q−, the magnitude of the sum of the negative integer weights; a negative value is read as
     *     the signed sum Σ_{q<0} q and its magnitude is used
     */
    public static boolean satisfiesA2qPlus(long posSum, long negSum, int accumulatorBits, int inputBits) {
        if (posSum < 0) {
            throw new IllegalArgumentException("posSum must be >= 0, got " + posSum);
        }
        ExactRational halfT = tA2qPlus(accumulatorBits, inputBits).half();
        BigInteger neg = BigInteger.valueOf(negSum).abs();
        return halfT.compareTo(posSum) >= 0 && halfT.compareTo(neg) >= 0;
    }

    /**
     * Smallest P with {@code maxL1 ≤ T_A2Q(P, N, σ)}: {@code ceil(log2(maxL1·2^(N−σ) + 1)) + 1}
     * (arXiv 2308.13504, Eq. 12, evaluated exactly).
     */
    public static int minAccumulatorBitsA2q(long maxL1, int inputBits, boolean inputSigned) {
        if (maxL1 < 0) {
            throw new IllegalArgumentException("maxL1 must be >= 0, got " + maxL1);
        }
        checkN(inputBits);
        int shift = inputBits - (inputSigned ? 1 : 0);
        BigInteger need = BigInteger.valueOf(maxL1).shiftLeft(shift).add(BigInteger.ONE);
        return ceilLog2(need) + 1;
    }

    /**
     * Smallest P with {@code max(Q+, Q−) ≤ T_A2Q+(P, N)/2}, i.e. {@code max(Q+,Q−)·(2^N−1) ≤ 2^(P−1) − 1}:
     * {@code ceil(log2(max(Q+,Q−)·(2^N−1) + 1)) + 1}.
     *
     * @param negSum Q− as a magnitude, or the signed negative sum (its magnitude is used)
     */
    public static int minAccumulatorBitsA2qPlus(long posSum, long negSum, int inputBits) {
        if (posSum < 0) {
            throw new IllegalArgumentException("posSum must be >= 0, got " + posSum);
        }
        checkN(inputBits);
        BigInteger half =
                BigInteger.valueOf(posSum).max(BigInteger.valueOf(negSum).abs());
        BigInteger need = half.multiply(inputRangeWidth(inputBits)).add(BigInteger.ONE);
        return ceilLog2(need) + 1;
    }

    /** {@code 2^(P−1) − 1}, the largest magnitude a signed P-bit register holds symmetrically. */
    static BigInteger safeMagnitude(int accumulatorBits) {
        return BigInteger.ONE.shiftLeft(accumulatorBits - 1).subtract(BigInteger.ONE);
    }

    /** {@code 2^N − 1 = x_max − x_min} for any N-bit integer input, signed or not. */
    static BigInteger inputRangeWidth(int inputBits) {
        return BigInteger.ONE.shiftLeft(inputBits).subtract(BigInteger.ONE);
    }

    /** {@code ceil(log2(m))} for m ≥ 1, exactly. */
    static int ceilLog2(BigInteger m) {
        return m.subtract(BigInteger.ONE).bitLength();
    }

    private static void checkP(int p) {
        if (p < 1 || p > MAX_ACCUMULATOR_BITS) {
            throw new IllegalArgumentException(
                    "accumulatorBits (P) must be in [1, " + MAX_ACCUMULATOR_BITS + "], got " + p);
        }
    }

    private static void checkN(int n) {
        if (n < 1 || n > MAX_INPUT_BITS) {
            throw new IllegalArgumentException("inputBits (N) must be in [1, " + MAX_INPUT_BITS + "], got " + n);
        }
    }
}
