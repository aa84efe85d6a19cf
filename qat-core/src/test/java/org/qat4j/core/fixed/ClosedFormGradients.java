package org.qat4j.core.fixed;

import org.qat4j.runtime.fixed.OverflowMode;

/**
 * The derivatives of HGQ's fake quantizer for one element, computed in plain Java with the same float64
 * operations (and, for float32 inputs, one final rounding to float32): the closed forms the NDArray
 * gradients must equal bit for bit (HGQ, arXiv 2405.00645, Section 4).
 */
final class ClosedFormGradients {

    static final double LN2 = Math.log(2.0);

    final float dx;
    final float df;
    final float di;
    final double dx64;
    final double df64;
    final double di64;
    final boolean clippedHigh;
    final boolean clippedLow;

    /**
     * @param x the input (a float32 or float64 value)
     * @param xq the forward output for x, in the input's type
     * @param k rounded sign bit
     * @param i rounded integer bits
     * @param f rounded fractional bits
     * @param overflow the overflow mode
     * @param trainableI whether i receives the clip bound's gradient
     */
    ClosedFormGradients(double x, double xq, int k, int i, int f, OverflowMode overflow, boolean trainableI) {
        double residual = xq - x;
        if (overflow == OverflowMode.WRAP) {
            clippedHigh = false;
            clippedLow = false;
            dx64 = 1.0;
            df64 = residual * -LN2 + 0.0;
            di64 = 0.0;
            dx = (float) dx64;
            df = (float) df64;
            di = (float) di64;
            return;
        }
        int iEff = Math.max(i, -f);
        double y = Math.scalb(x, f); // exact for the moderate inputs of the tests
        double top = Math.scalb(1.0, iEff + f);
        double hi = top - 1;
        double lo = overflow == OverflowMode.SAT_SYM ? -(k * hi) : -(k * top);
        clippedHigh = y > hi;
        clippedLow = y < lo;
        boolean inside = !clippedHigh && !clippedLow;
        double step = Math.scalb(1.0, -f) * LN2;
        double forF = (inside ? residual * -LN2 : 0.0) + (clippedHigh ? step + 0.0 : 0.0);
        if (overflow == OverflowMode.SAT_SYM) {
            forF += clippedLow ? -(step * k) + 0.0 : 0.0;
        }
        double bound = Math.scalb(1.0, iEff) * LN2;
        double forI = (clippedHigh ? bound + 0.0 : 0.0) + (clippedLow ? -(bound * k) + 0.0 : 0.0);
        dx64 = inside ? 1.0 : 0.0;
        df64 = forF;
        di64 = trainableI ? forI : 0.0;
        dx = (float) dx64;
        df = (float) df64;
        di = (float) di64;
    }
}
