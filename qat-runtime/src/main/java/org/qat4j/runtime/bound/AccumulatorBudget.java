package org.qat4j.runtime.bound;

/**
 * AXE's running accumulator budget of one output channel (arXiv 2409.17092, §4, Eq. 14–15), in exact
 * integer arithmetic. With {@code A = 2^(P−1) − 1}, the integer input range {@code [x_min, x_max]} and the
 * sums {@code p = Σ_{q>0} q}, {@code n = Σ_{q<0} q} of the weights chosen so far, every partial sum in any
 * order lies in {@code [x_min·p + x_max·n, x_max·p + x_min·n]} (for x_min ≤ 0 ≤ x_max). The next integer
 * weight q is allowed iff both ends stay within {@code ±A} after it is added, and, so that the layer also
 * carries the A2Q+ certificate (arXiv 2401.10432, Eq. 9), iff {@code p} and {@code |n|} stay within
 * {@code floor(T+/2) = floor((2^(P−1)−1)/(2^N−1))}. For unsigned inputs the two conditions coincide; for
 * signed inputs the second is the stricter one. The paper's real-valued margins ({@code ±0.5}, for
 * round-to-nearest) are replaced by the exact integer interval {@link #low()}..{@link #high()}.
 */
public final class AccumulatorBudget {

    private final long a;
    private final long xMin;
    private final long xMax;
    private final long halfCap;
    private long pos;
    private long neg;

    /**
     * @param accumulatorBits P ∈ [2, 62]
     * @param inputBits N
     * @param inputSigned whether inputs are signed N-bit integers (otherwise unsigned)
     */
    public AccumulatorBudget(int accumulatorBits, int inputBits, boolean inputSigned) {
        if (accumulatorBits < 2 || accumulatorBits > 62) {
            throw new IllegalArgumentException("accumulatorBits (P) must be in [2, 62], got " + accumulatorBits);
        }
        if (inputBits < 2 || inputBits > 30) {
            throw new IllegalArgumentException("inputBits (N) must be in [2, 30], got " + inputBits);
        }
        this.a = (1L << (accumulatorBits - 1)) - 1;
        this.xMin = inputSigned ? -(1L << (inputBits - 1)) : 0;
        this.xMax = inputSigned ? (1L << (inputBits - 1)) - 1 : (1L << inputBits) - 1;
        this.halfCap = A2qBounds.maxHalfSumA2qPlus(accumulatorBits, inputBits);
    }

    /** Largest integer weight allowed next (≥ 0: zero is always allowed). */
    public long high() {
        long h = Math.floorDiv(a - xMax * pos - xMin * neg, xMax);
        if (xMin < 0) {
            // x_min·(p + q) + x_max·n ≥ −A  ⇔  q ≤ (−A − x_min·p − x_max·n) / x_min   (x_min < 0)
            h = Math.min(h, Math.floorDiv(-a - xMin * pos - xMax * neg, xMin));
        }
        return Math.max(0, Math.min(h, halfCap - pos));
    }

    /** Smallest integer weight allowed next (≤ 0). */
    public long low() {
        // x_min·p + x_max·(n + q) ≥ −A  ⇔  q ≥ (−A − x_min·p − x_max·n) / x_max
        long l = ceilDiv(-a - xMin * pos - xMax * neg, xMax);
        if (xMin < 0) {
            // x_max·p + x_min·(n + q) ≤ A  ⇔  q ≥ (A − x_max·p − x_min·n) / x_min
            l = Math.max(l, ceilDiv(a - xMax * pos - xMin * neg, xMin));
        }
        return Math.min(0, Math.max(l, -halfCap - neg));
    }

    /** Records the chosen weight; refuses one outside {@code [low(), high()]}. */
    public void add(long q) {
        if (q > high() || q < low()) {
            throw new IllegalArgumentException(
                    "weight " + q + " outside the remaining budget [" + low() + ", " + high() + "]");
        }
        if (q > 0) {
            pos += q;
        } else {
            neg += q;
        }
    }

    /** Σ of the positive weights so far. */
    public long positiveSum() {
        return pos;
    }

    /** Σ of the negative weights so far (≤ 0). */
    public long negativeSum() {
        return neg;
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
