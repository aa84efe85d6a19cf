package org.qat4j.ptq.kernel;

/**
 * A clipped uniform quantizer with zero point 0 and clip α, the quantizer LAPQ (arXiv 1911.07190, §3) and
 * the clipping baselines search over:
 * <pre>
 *   Δ = α / levels,   Q_α(x) = Δ · clamp(rint(x / Δ), qMin, qMax)
 * </pre>
 * with {@code levels = qMax}: weights are signed narrow range {@code [−(2^(b−1)−1), 2^(b−1)−1]} (the
 * range of A2Q-family layers), activations unsigned {@code [0, 2^b−1]} after a ReLU or signed
 * {@code [−2^(b−1), 2^(b−1)−1]}. Rounding is half to even ({@code Math.rint}), the rounding of the
 * activation quantizer and of unconstrained weights in the twin. This is the search-side model in double
 * precision; the exported integers come from the twin's own forward.
 *
 * @param bits b ∈ [2, 16]
 * @param qMin smallest integer
 * @param qMax largest integer (also the number of steps between 0 and α)
 */
public record UniformGrid(int bits, long qMin, long qMax) {

    /** Validates the range. */
    public UniformGrid {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("bits must be in [2, 16], got " + bits);
        }
        if (qMin > 0 || qMax <= 0) {
            throw new IllegalArgumentException("grid [" + qMin + ", " + qMax + "] must contain 0 and a positive value");
        }
    }

    /** Signed narrow range {@code ±(2^(b−1)−1)}: the weights of A2Q-family layers. */
    public static UniformGrid weights(int bits) {
        long m = (1L << (bits - 1)) - 1;
        return new UniformGrid(bits, -m, m);
    }

    /** An activation quantizer's range: unsigned {@code [0, 2^b−1]} or signed {@code [−2^(b−1), 2^(b−1)−1]}. */
    public static UniformGrid activations(int bits, boolean signed) {
        return signed
                ? new UniformGrid(bits, -(1L << (bits - 1)), (1L << (bits - 1)) - 1)
                : new UniformGrid(bits, 0, (1L << bits) - 1);
    }

    /** True for a signed range. */
    public boolean signed() {
        return qMin < 0;
    }

    /** Δ for clip α. */
    public double step(double alpha) {
        return alpha / qMax;
    }

    /** The integer of x on the grid of step Δ. */
    public long toInteger(double x, double step) {
        double r = Math.rint(x / step);
        return (long) Math.max(qMin, Math.min(qMax, r));
    }

    /** {@code Q_α(x)}. */
    public double quantize(double x, double step) {
        return step * toInteger(x, step);
    }
}
