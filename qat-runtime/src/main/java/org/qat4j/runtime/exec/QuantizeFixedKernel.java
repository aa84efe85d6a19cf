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
 * <p>Fast path (RND and TRN, formats of 0 to 50 bits with {@code |f| ≤ 100}), entirely in double and
 * branch-free, scalar or with the Vector API ({@link QuantizeRowVector}, for samples of 64 elements or
 * more when {@code jdk.incubator.vector} is present): a float32 has 24 significant bits and an exponent in
 * [−149, 127], so {@code y = x·2^f} is exact in double; when {@code |y| < 2^52}, RND's
 * {@code floor(y + ½)} is computed as written: {@code y + ½} is exact when {@code |y| ≥ ½} (its 24
 * significant bits and the ½ bit span at most 26 bits below 2^52), and when {@code |y| < ½} it lies in
 * {@code [0, 1 − 2^−25]} however it rounds, whose floor, 0, is the exact answer; TRN is {@code floor(y)}.
 * (The bound here is {@code |y| < 2^50}.)
 * Overflow acts on that integer {@code t} exactly as {@link FixedPoint#applyOverflow}: SAT/SAT_SYM clip
 * to {@code [lo, hi]} (integers below 2^50, exact in double); WRAP is {@code t − 2^w·⌊(t − base)·2^−w⌋}
 * with {@code base} the format's lowest mantissa ({@code −2^(w−1)} signed, 0 unsigned), every step
 * exact below 2^53 (zero width: {@code 2^0 = 1}, giving 0). A sample with NaN, an infinity or
 * {@code |y| ≥ 2^50} anywhere has those elements recomputed by the reference.
 *
 * <p>The output is a {@code long[]} tensor, or, when the runtime fuses this quantizer with the dense
 * layer it feeds ({@link #writing}), an array of that layer's packed operand type ({@code float[]},
 * {@code int[]}, {@code double[]}), which the layer multiplies in place: the range analysis proves every
 * mantissa exact in that type.
 */
final class QuantizeFixedKernel implements Kernel {
    /** Bound on {@code |x·2^f|} of the fast path (the Vector API floor needs its arguments below 2^51). */
    private static final double FAST_LIMIT = 0x1p50;
    /** Widest format of the fast path: WRAP's {@code t − base} stays below 2^51. */
    private static final int FAST_WIDTH = 50;

    /** The fast path of one sample ({@link #scalarRow}, or {@link QuantizeRowVector}). */
    interface Row {
        /** Writes the fast path's value of every element of the sample at {@code off} into t; returns max |x·2^f| (NaN if any). */
        double fastRow(QuantizeFixedKernel q, float[] x, int off, double[] t);
    }

    /**
     * Smallest sample the Vector API row takes by default (smaller ones, like a 16-feature input, are as fast on
     * the scalar row, which is also fast before C2 has compiled the vector code). Fixed, not
     * {@code qat.runtime.vectorMinWork}: tests choose the row explicitly.
     */
    static final int VECTOR_MIN_ELEMENTS = 64;

    /** The Vector API row, when {@code jdk.incubator.vector} is present (and not switched off). */
    private static final Row VECTOR_ROW = vectorRow();

    private static Row vectorRow() {
        if (!MatMul.VECTOR_AVAILABLE) {
            return null;
        }
        try {
            return (Row) Class.forName(QuantizeFixedKernel.class.getPackageName() + ".QuantizeRowVector")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            // the module is resolved but unusable here: the scalar row computes the same integers
            return null;
        }
    }

    private final FixedFormat[] fmts;
    private final RoundingMode rounding;
    private final OverflowMode overflow;
    private final int src;
    private final int dst;
    final double[] scale;
    final double[] lo;
    final double[] hi;
    /** WRAP: 2^w, 2^−w and the lowest mantissa. */
    final double[] period;

    final double[] inversePeriod;
    final double[] base;
    /** Whether an element takes the fast path (else the reference runs for it). */
    private final boolean[] fast;
    /** Whether every element does. */
    private final boolean allFast;

    final double half;
    final boolean wrap;
    /** The fast path's implementation for this kernel's sample size. */
    private final Row row;
    /** The output tensor's array type: {@code long[].class}, or a fused layer's operand type. */
    private final Class<?> output;

    QuantizeFixedKernel(FixedFormat[] fmts, RoundingMode rounding, OverflowMode overflow, int src, int dst) {
        this(fmts, rounding, overflow, src, dst, long[].class, fmts.length >= VECTOR_MIN_ELEMENTS);
    }

    /**
     * @param output the output tensor's array type
     * @param vector whether the Vector API row may be used (when present)
     */
    QuantizeFixedKernel(
            FixedFormat[] fmts,
            RoundingMode rounding,
            OverflowMode overflow,
            int src,
            int dst,
            Class<?> output,
            boolean vector) {
        this.fmts = fmts;
        this.rounding = rounding;
        this.overflow = overflow;
        this.src = src;
        this.dst = dst;
        this.output = output;
        int n = fmts.length;
        scale = new double[n];
        lo = new double[n];
        hi = new double[n];
        period = new double[n];
        inversePeriod = new double[n];
        base = new double[n];
        fast = new boolean[n];
        boolean mode = rounding == RoundingMode.RND || rounding == RoundingMode.TRN;
        boolean all = true;
        for (int e = 0; e < n; e++) {
            FixedFormat f = fmts[e];
            int width = f.width();
            fast[e] = mode && width <= FAST_WIDTH && Math.abs(f.f()) <= 100;
            all &= fast[e];
            if (fast[e]) {
                int w = Math.max(0, width);
                scale[e] = Math.scalb(1.0, f.f());
                lo[e] = f.minMantissa(overflow);
                hi[e] = f.maxMantissa();
                period[e] = Math.scalb(1.0, w);
                inversePeriod[e] = Math.scalb(1.0, -w);
                base[e] = f.k() != 0 && w > 0 ? -Math.scalb(1.0, w - 1) : 0.0;
            }
        }
        allFast = all;
        half = rounding == RoundingMode.RND ? 0.5 : 0.0;
        wrap = overflow == OverflowMode.WRAP;
        row = vector && VECTOR_ROW != null ? VECTOR_ROW : null;
    }

    /** Whether the Vector API row runs. */
    boolean vectorized() {
        return row != null;
    }

    /** The output tensor's array type. */
    Class<?> outputType() {
        return output;
    }

    /** This quantizer writing a tensor of {@code type} (see the class comment); the caller has proven it exact. */
    QuantizeFixedKernel writing(Class<?> type) {
        return new QuantizeFixedKernel(this, type);
    }

    /** {@code other} writing {@code output}: the per-element tables are shared, not rebuilt. */
    private QuantizeFixedKernel(QuantizeFixedKernel other, Class<?> output) {
        this.fmts = other.fmts;
        this.rounding = other.rounding;
        this.overflow = other.overflow;
        this.src = other.src;
        this.dst = other.dst;
        this.output = output;
        this.scale = other.scale;
        this.lo = other.lo;
        this.hi = other.hi;
        this.period = other.period;
        this.inversePeriod = other.inversePeriod;
        this.base = other.base;
        this.fast = other.fast;
        this.allFast = other.allFast;
        this.half = other.half;
        this.wrap = other.wrap;
        this.row = other.row;
    }

    @Override
    public void run(Object[] env, int batch) {
        float[] x = (float[]) env[src];
        int n = fmts.length;
        Object y = Workspace.typed(env, dst, batch * n, output);
        double[] row = new double[n];
        for (int b = 0; b < batch; b++) {
            int off = b * n;
            boolean exact = fastRow(x, off, row);
            if (y instanceof float[] f) {
                for (int e = 0; e < n; e++) {
                    f[off + e] = (float) row[e];
                }
            } else if (y instanceof int[] i) {
                for (int e = 0; e < n; e++) {
                    i[off + e] = (int) row[e];
                }
            } else if (y instanceof double[] d) {
                System.arraycopy(row, 0, d, off, n);
            } else {
                long[] l = (long[]) y;
                for (int e = 0; e < n; e++) {
                    l[off + e] = (long) row[e];
                }
            }
            if (!exact) {
                slowElements(x, off, y);
            }
        }
    }

    /** Quantizes one sample: {@code x[off + e]} into {@code y[off + e]} for every element e. */
    void quantize(float[] x, int off, long[] y) {
        int n = fmts.length;
        double[] row = new double[n];
        boolean exact = fastRow(x, off, row);
        for (int e = 0; e < n; e++) {
            y[off + e] = (long) row[e];
        }
        if (!exact) {
            slowElements(x, off, y);
        }
    }

    /**
     * The fast path for every element of one sample, into {@code t}; returns whether every element took it
     * validly (else {@link #slowElements} must overwrite the others).
     */
    private boolean fastRow(float[] x, int off, double[] t) {
        double worst = row != null ? row.fastRow(this, x, off, t) : scalarRow(x, off, t, 0);
        return allFast && worst < FAST_LIMIT;
    }

    /** The fast path for elements {@code from …} of the sample at {@code off}; returns max |x·2^f| (NaN if any). */
    double scalarRow(float[] x, int off, double[] t, int from) {
        int n = t.length;
        double worst = 0;
        for (int e = from; e < n; e++) {
            double v = x[off + e] * scale[e];
            // NaN propagates through max, and fails the caller's test like ±∞ and |v| ≥ FAST_LIMIT
            worst = Math.max(worst, Math.abs(v));
            t[e] = Math.floor(v + half);
        }
        if (wrap) {
            for (int e = from; e < n; e++) {
                t[e] -= period[e] * Math.floor((t[e] - base[e]) * inversePeriod[e]);
            }
        } else {
            for (int e = from; e < n; e++) {
                t[e] = Math.min(Math.max(t[e], lo[e]), hi[e]);
            }
        }
        return worst;
    }

    /** The reference for every element of the sample at {@code off} the fast path does not cover. */
    private void slowElements(float[] x, int off, Object y) {
        for (int e = 0; e < fmts.length; e++) {
            double v = x[off + e] * scale[e];
            if (fast[e] && v < FAST_LIMIT && v > -FAST_LIMIT) {
                continue;
            }
            long m = FixedPoint.quantize(x[off + e], fmts[e], rounding, overflow);
            if (y instanceof float[] f) {
                f[off + e] = m;
            } else if (y instanceof int[] i) {
                i[off + e] = (int) m;
            } else if (y instanceof double[] d) {
                d[off + e] = m;
            } else {
                ((long[]) y)[off + e] = m;
            }
        }
    }
}
