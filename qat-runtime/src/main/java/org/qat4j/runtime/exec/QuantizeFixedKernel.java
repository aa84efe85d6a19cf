package org.qat4j.runtime.exec;

import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * {@code quantize_fixed}: {@code m = O(R(x·2^f))} per element (HGQ arXiv 2405.00645 §3), equal bit for
 * bit to {@link FixedPoint#quantize}, which stays the reference and handles every case the fast path
 * does not.
 *
 * <p>Fast path (RND and TRN, formats of 1 to 62 bits with {@code |f| ≤ 100}): a float32 has 24
 * significant bits and an exponent in [−149, 127], so {@code y = x·2^f} is exact in double; when
 * {@code |y| < 2^52}, RND's {@code floor(y + ½)} is computed as written: {@code y + ½} is exact when
 * {@code |y| ≥ ½} (its 24 significant bits and the ½ bit span at most 26 bits below 2^52), and when
 * {@code |y| < ½} it lies in {@code [0, 1 − 2^−25]} however it rounds, whose floor, 0, is the exact
 * answer; TRN is {@code floor(y)}. Overflow then acts on the integer exactly as {@link FixedPoint#applyOverflow}:
 * SAT/SAT_SYM clip to {@code [lo, hi]}, WRAP keeps the low {@code width} bits, sign-extended when signed.
 * NaN, infinities and {@code |y| ≥ 2^52} go to the reference.
 */
final class QuantizeFixedKernel implements Kernel {
    private static final double FAST_LIMIT = 0x1p52;

    private final FixedFormat[] fmts;
    private final RoundingMode rounding;
    private final OverflowMode overflow;
    private final int src;
    private final int dst;
    private final double[] scale;
    private final long[] lo;
    private final long[] hi;
    /** 64 − width for WRAP. */
    private final int[] wrapShift;
    /** −1 for signed formats, 0 for unsigned (WRAP's choice of sign extension). */
    private final long[] signedMask;
    /** Whether every element takes the fast path (else the reference runs for those that do not). */
    private final boolean[] fast;

    private final boolean rnd;
    private final boolean wrap;

    QuantizeFixedKernel(FixedFormat[] fmts, RoundingMode rounding, OverflowMode overflow, int src, int dst) {
        this.fmts = fmts;
        this.rounding = rounding;
        this.overflow = overflow;
        this.src = src;
        this.dst = dst;
        int n = fmts.length;
        scale = new double[n];
        lo = new long[n];
        hi = new long[n];
        wrapShift = new int[n];
        signedMask = new long[n];
        fast = new boolean[n];
        boolean mode = rounding == RoundingMode.RND || rounding == RoundingMode.TRN;
        for (int e = 0; e < n; e++) {
            FixedFormat f = fmts[e];
            int width = f.width();
            fast[e] = mode && width >= 1 && width <= 62 && Math.abs(f.f()) <= 100;
            if (fast[e]) {
                scale[e] = Math.scalb(1.0, f.f());
                lo[e] = f.minMantissa(overflow);
                hi[e] = f.maxMantissa();
                wrapShift[e] = 64 - width;
                signedMask[e] = f.k() != 0 ? -1L : 0L;
            }
        }
        rnd = rounding == RoundingMode.RND;
        wrap = overflow == OverflowMode.WRAP;
    }

    @Override
    public void run(Object[] env, int batch) {
        float[] x = (float[]) env[src];
        int n = fmts.length;
        long[] y = Workspace.longs(env, dst, batch * n);
        for (int b = 0; b < batch; b++) {
            quantize(x, b * n, y);
        }
    }

    /** Quantizes one sample: {@code x[off + e]} into {@code y[off + e]} for every element e. */
    void quantize(float[] x, int off, long[] y) {
        int n = fmts.length;
        double half = rnd ? 0.5 : 0.0;
        for (int e = 0; e < n; e++) {
            double v = x[off + e] * scale[e];
            long m;
            // NaN fails both comparisons; ±∞ and |v| ≥ 2^52 fail one: all go to the reference
            if (fast[e] && v < FAST_LIMIT && v > -FAST_LIMIT) {
                // branch-free: floor(v + ½) is exact here (see the class comment), TRN adds 0
                m = (long) Math.floor(v + half);
                if (wrap) {
                    int s = wrapShift[e];
                    long t = m << s;
                    long sx = t >> s;
                    long zx = t >>> s;
                    m = zx ^ ((sx ^ zx) & signedMask[e]);
                } else {
                    m = Math.min(Math.max(m, lo[e]), hi[e]);
                }
            } else {
                m = FixedPoint.quantize(x[off + e], fmts[e], rounding, overflow);
            }
            y[off + e] = m;
        }
    }
}
