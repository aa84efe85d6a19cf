package org.qat4j.ptq.rows;

/**
 * The greedy range search of arXiv 1911.02079 (Guan et al., "Post-Training 4-bit Quantization on
 * Embedding Tables", §3.1, Algorithm 1) for one row quantized with uniform asymmetric {@code b}-bit
 * codes: start from {@code [min, max]}, step size {@code (max − min)/bins}; at each step shrink the
 * range by one step from the left or from the right, whichever gives the lower L2 reconstruction
 * error, until the range has shrunk by {@code ratio} of its width; return the best range seen (the
 * best local optimum along the greedy path). The paper uses 200 bins and a ratio of 0.16.
 */
public final class RowRangeSearch {
    /** The paper's bin count. */
    public static final int BINS = 200;
    /** The paper's largest relative shrink of the range. */
    public static final double RATIO = 0.16;

    private RowRangeSearch() {}

    /** {@code {lo, hi}} minimizing the L2 error of {@code bits}-bit codes along the greedy path. */
    public static double[] search(float[] row, int bits, int bins, double ratio) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : row) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        double bestLo = lo;
        double bestHi = hi;
        double best = error(row, lo, hi, bits);
        double step = (hi - lo) / bins;
        if (!(step > 0)) {
            return new double[] {lo, hi};
        }
        double stop = bins * (1 - ratio) * step; // keep at least (1 − ratio) of the width
        double curLo = lo;
        double curHi = hi;
        while (curLo + stop < curHi - 1e-12 * step) {
            double left = error(row, curLo + step, curHi, bits);
            double right = error(row, curLo, curHi - step, bits);
            if (left < right) {
                curLo += step;
                if (left < best) {
                    best = left;
                    bestLo = curLo;
                    bestHi = curHi;
                }
            } else {
                curHi -= step;
                if (right < best) {
                    best = right;
                    bestLo = curLo;
                    bestHi = curHi;
                }
            }
        }
        return new double[] {bestLo, bestHi};
    }

    /** Σ (x − dequant(quant(x)))² with {@code scale = (hi − lo)/(2^bits − 1)}, codes clamped to the range. */
    public static double error(float[] row, double lo, double hi, int bits) {
        int top = (1 << bits) - 1;
        double scale = (hi - lo) / top;
        double e = 0;
        for (float x : row) {
            double q = scale > 0 ? Math.max(0, Math.min(top, Math.rint((x - lo) / scale))) : 0;
            double d = x - (q * scale + lo);
            e += d * d;
        }
        return e;
    }
}
