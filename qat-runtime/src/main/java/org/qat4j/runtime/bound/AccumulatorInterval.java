package org.qat4j.runtime.bound;

import java.math.BigInteger;

/**
 * Exact interval containing every partial sum of a dot product {@code Σ_{i∈S} w_i·x_i}, for every subset
 * {@code S} of the terms (hence every accumulation order) and every input {@code x_i ∈ [xMin, xMax]}: the sum of
 * the negative extreme contributions and the sum of the positive extreme contributions. This is the verification
 * FINN and qonnx use to size accumulators; it is the real guarantee behind A2Q (arXiv 2308.13504, Sec. 3) and
 * A2Q+ (arXiv 2401.10432, Sec. 3).
 *
 * <p>Required width: if {@code min ≥ 0}, unsigned {@code ceil(log2(max + 1))}; otherwise signed
 * {@code ceil(log2(max(−min, 1 + max))) + 1}.
 *
 * @param min the lowest reachable partial sum (≤ 0 for {@link #worstCase}, which includes the empty sum)
 * @param max the highest reachable partial sum
 */
public record AccumulatorInterval(long min, long max) {

    /** Validates {@code min ≤ max}. */
    public AccumulatorInterval {
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, got min=" + min + ", max=" + max);
        }
    }

    /**
     * The worst-case interval of all partial sums in any order:
     * {@code [Σ_i min(0, w_i·xMin, w_i·xMax), Σ_i max(0, w_i·xMin, w_i·xMax)]}, with {@link Math}{@code .*Exact}
     * (an {@link ArithmeticException} if it does not fit in a long).
     *
     * @param weights the channel's integer weights
     * @param xMin the smallest input integer
     * @param xMax the largest input integer (≥ xMin)
     */
    public static AccumulatorInterval worstCase(long[] weights, long xMin, long xMax) {
        if (xMin > xMax) {
            throw new IllegalArgumentException("xMin must be <= xMax, got xMin=" + xMin + ", xMax=" + xMax);
        }
        long lo = 0;
        long hi = 0;
        for (long w : weights) {
            long a = Math.multiplyExact(w, xMin);
            long b = Math.multiplyExact(w, xMax);
            long cMin = Math.min(a, b);
            long cMax = Math.max(a, b);
            if (cMin < 0) {
                lo = Math.addExact(lo, cMin);
            }
            if (cMax > 0) {
                hi = Math.addExact(hi, cMax);
            }
        }
        return new AccumulatorInterval(lo, hi);
    }

    /** The input range of an N-bit integer: signed {@code [−2^(N−1), 2^(N−1)−1]}, unsigned {@code [0, 2^N−1]}. */
    public static AccumulatorInterval worstCase(long[] weights, int inputBits, boolean inputSigned) {
        if (inputBits < 1 || inputBits > A2qBounds.MAX_INPUT_BITS) {
            throw new IllegalArgumentException(
                    "inputBits must be in [1, " + A2qBounds.MAX_INPUT_BITS + "], got " + inputBits);
        }
        long xMin = inputSigned ? -(1L << (inputBits - 1)) : 0L;
        long xMax = inputSigned ? (1L << (inputBits - 1)) - 1 : (1L << inputBits) - 1;
        return worstCase(weights, xMin, xMax);
    }

    /**
     * Bits an accumulator needs to hold every value of this interval: unsigned {@code ceil(log2(max+1))} when
     * {@code min ≥ 0}, else two's complement {@code ceil(log2(max(−min, 1+max))) + 1}.
     */
    public int bitsNeeded() {
        if (min >= 0) {
            return A2qBounds.ceilLog2(BigInteger.valueOf(max).add(BigInteger.ONE));
        }
        BigInteger m =
                BigInteger.valueOf(min).negate().max(BigInteger.valueOf(max).add(BigInteger.ONE));
        return A2qBounds.ceilLog2(m) + 1;
    }

    /** True if every value lies in the two's-complement range {@code [−2^(P−1), 2^(P−1) − 1]}. */
    public boolean fitsSigned(int accumulatorBits) {
        if (accumulatorBits < 1) {
            throw new IllegalArgumentException("accumulatorBits must be >= 1, got " + accumulatorBits);
        }
        if (accumulatorBits >= 64) {
            return true;
        }
        long lowest = -(1L << (accumulatorBits - 1));
        long highest = (1L << (accumulatorBits - 1)) - 1;
        return min >= lowest && max <= highest;
    }
}
