package org.qat4j.runtime.check;

/**
 * One channel's weight statistics in one pass, and from them the exact bound that picks its
 * arithmetic in {@link ChannelSums}: {@code B = max(⋁|w|, 1) · max(max|x|, 1) · (k + 1)}, where
 * {@code ⋁|w|}, the bitwise OR of the magnitudes read unsigned, is at least {@code max|w|} (and costs
 * one vectorizable reduction where a maximum does not). {@code B} bounds |any sum of the k terms| and
 * the weight sums {@code Q⁺, Q⁻ ≤ max|w|·k}, with one spare term for the bias: {@code int} arithmetic
 * is exact when {@code B < 2^31}, plain {@code long} when {@code B + |b| < 2^62}. The same pass keeps
 * {@code Σ w} and {@code Σ |w|} in wrapping {@code int}; when {@code B < 2^31} neither wrapped.
 */
final class ChannelBound {
    /** {@code int} kernels are exact below this bound. */
    static final long INT_LIMIT = 1L << 31;

    /** Plain {@code long} kernels are exact below this bound (bias included). */
    static final long LONG_LIMIT = 1L << 62;

    int sum;
    int sumAbs;
    long bound;

    /**
     * Measures {@code w[0..k)}.
     *
     * @param maxX {@code max(max|x|, 1)} over the layer's input ranges (saturated at {@code Long.MAX_VALUE})
     */
    void measure(int[] w, int k, long maxX) {
        int s = 0;
        int a = 0;
        int or = 0;
        for (int t = 0; t < k; t++) {
            int x = w[t];
            // Math.abs(Integer.MIN_VALUE) is negative; unsigned, its bit pattern is 2^31 = |w| exactly
            int m = Math.abs(x);
            s += x;
            a += m;
            or |= m;
        }
        sum = s;
        sumAbs = a;
        bound = saturatedProduct(saturatedProduct(Math.max(Integer.toUnsignedLong(or), 1), maxX), k + 1L);
    }

    /** Whether the plain {@code long} kernels are exact for this channel with bias {@code b}. */
    boolean plainLongExact(long b) {
        long absB = b == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(b);
        return bound < LONG_LIMIT && absB < LONG_LIMIT && bound + absB < LONG_LIMIT;
    }

    /** {@code max(max|x|, 1)} over the input ranges, saturated at {@code Long.MAX_VALUE}. */
    static long maxAbsInput(long[] lo, long[] hi) {
        long maxX = 1;
        for (int j = 0; j < lo.length; j++) {
            boolean extreme = lo[j] == Long.MIN_VALUE || hi[j] == Long.MIN_VALUE;
            maxX = extreme ? Long.MAX_VALUE : Math.max(maxX, Math.max(Math.abs(lo[j]), Math.abs(hi[j])));
        }
        return maxX;
    }

    /** {@code a·b} for {@code a, b ≥ 0}, or {@code Long.MAX_VALUE} when it reaches 2^63: still an upper bound. */
    static long saturatedProduct(long a, long b) {
        long low = a * b;
        return Math.multiplyHigh(a, b) != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
