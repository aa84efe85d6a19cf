package org.qat4j.runtime.exec;

import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * {@code requantize_fixed}: {@code O(R(m·2^(f_out − f_in)))} per element with integer shifts only
 * (HGQ arXiv 2405.00645 §3), optionally after a ReLU it absorbs ({@code max(m, 0)} first) when the
 * runtime fuses {@code relu → requantize_fixed}.
 *
 * <p>Fast path (RND and TRN, right shifts of 0 to 61 bits, formats of up to 62 bits): RND is
 * {@code floor(m/2^s + ½) = (m + 2^(s−1)) >> s} and TRN is {@code m >> s} (an arithmetic shift is
 * floor), exact while {@code |m| ≤ 2^62}, which the range analysis proves for the whole tensor or the
 * kernel checks per element (beyond it, the general path decides); then SAT/SAT_SYM clip to
 * {@code [lo, hi]} and WRAP keeps the low {@code width} bits, sign-extended when signed, branch-free.
 * Zero-width elements give 0 ({@code lo = hi = 0}, and a zero mask under WRAP). Every other element
 * runs the general path, {@link #requantize}, on {@link FixedPoint}. A proven fast path runs eight lanes
 * at a time with the Vector API ({@link RequantizeRowVector}) when {@code jdk.incubator.vector} is present.
 * The output is a {@code long[]} tensor or, fused with the dense layer it feeds ({@link #writing}), that
 * layer's operand type.
 */
final class RequantizeFixedKernel implements Kernel {
    private static final long LIMIT = 1L << 62;

    /** The proven fast path of one sample with the Vector API ({@link RequantizeRowVector}). */
    interface Row {
        /** Requantizes the sample {@code x[xb …]} into {@code y[yb …]} ({@code long[]} or an operand type). */
        void row(RequantizeFixedKernel q, long[] x, int xb, Object y, int yb);
    }

    /**
     * Smallest tensor the Vector API row takes by default (two vectors of longs; fixed, not
     * {@code qat.runtime.vectorMinWork}: tests choose the row explicitly).
     */
    static final int VECTOR_MIN_ELEMENTS = 16;

    /** The Vector API row, when {@code jdk.incubator.vector} is present (and not switched off). */
    private static final Row VECTOR_ROW = vectorRow();

    private static Row vectorRow() {
        if (!MatMul.VECTOR_AVAILABLE) {
            return null;
        }
        try {
            return (Row) Class.forName(RequantizeFixedKernel.class.getPackageName() + ".RequantizeRowVector")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            // the module is resolved but unusable here: the scalar rows compute the same integers
            return null;
        }
    }

    final int n;
    private final int src;
    private final int dst;
    final boolean relu;
    private final FixedFormat[] fmts;
    private final RoundingMode rounding;
    private final OverflowMode overflow;
    private final int[] shift;
    final long[] half;
    final long[] lo;
    final long[] hi;
    private final int[] wrapShift;
    final long[] signedMask;
    /** 0 for a zero-width element under WRAP, else −1. */
    final long[] keepMask;
    /** {@link #shift} and {@link #wrapShift} as longs, the Vector API's shift counts. */
    final long[] shiftCounts;

    final long[] wrapShiftCounts;

    private final boolean fast;
    final boolean wrap;
    /** The Vector API row for the proven fast path, or null. */
    private final Row row;
    /** Whether every input integer is proven within ±2^62 (no per-element check). */
    private final boolean proven;
    /** The output tensor's array type: {@code long[].class}, or a fused dense layer's operand type. */
    private final Class<?> output;
    /** What {@link #writing} copies. */
    private final int[] inFrac;

    private final long[][] inputRange;

    /**
     * @param inFrac fractional bits of each input element
     * @param inputRange the proven {@code [min[], max[]]} of the input elements (of the ReLU's input when {@code relu})
     * @param relu whether to apply {@code max(m, 0)} first (a fused ReLU)
     */
    RequantizeFixedKernel(
            int[] inFrac,
            FixedFormat[] fmts,
            RoundingMode r,
            OverflowMode o,
            long[][] inputRange,
            boolean relu,
            int src,
            int dst) {
        this(inFrac, fmts, r, o, inputRange, relu, src, dst, long[].class, fmts.length >= VECTOR_MIN_ELEMENTS);
    }

    /**
     * @param output the output tensor's array type
     * @param vector whether the Vector API row may run (when present, for a proven fast path)
     */
    RequantizeFixedKernel(
            int[] inFrac,
            FixedFormat[] fmts,
            RoundingMode r,
            OverflowMode o,
            long[][] inputRange,
            boolean relu,
            int src,
            int dst,
            Class<?> output,
            boolean vector) {
        this.output = output;
        this.inFrac = inFrac;
        this.inputRange = inputRange;
        this.n = fmts.length;
        this.src = src;
        this.dst = dst;
        this.relu = relu;
        this.fmts = fmts;
        this.rounding = r;
        this.overflow = o;
        shift = new int[n];
        half = new long[n];
        lo = new long[n];
        hi = new long[n];
        wrapShift = new int[n];
        signedMask = new long[n];
        keepMask = new long[n];
        boolean f = r == RoundingMode.RND || r == RoundingMode.TRN;
        boolean p = true;
        for (int e = 0; e < n; e++) {
            shift[e] = inFrac[e] - fmts[e].f();
            int width = fmts[e].width();
            if (width <= 0) {
                // zero width: (m + 0) >> 0 clipped to [0, 0], or masked to 0 under WRAP
                shift[e] = 0;
                wrapShift[e] = 0;
                keepMask[e] = 0;
                continue;
            }
            f &= shift[e] >= 0 && shift[e] < 62 && width <= 62;
            if (width <= 62) {
                half[e] = r == RoundingMode.RND && shift[e] > 0 && shift[e] < 62 ? 1L << (shift[e] - 1) : 0;
                lo[e] = fmts[e].minMantissa(o);
                hi[e] = fmts[e].maxMantissa();
                wrapShift[e] = 64 - width;
                signedMask[e] = fmts[e].k() != 0 ? -1L : 0L;
                keepMask[e] = -1L;
            }
            long min = relu ? Math.max(0, inputRange[0][e]) : inputRange[0][e];
            long max = relu ? Math.max(0, inputRange[1][e]) : inputRange[1][e];
            p &= min >= -LIMIT && max <= LIMIT;
        }
        this.fast = f;
        this.proven = p;
        this.wrap = o == OverflowMode.WRAP;
        shiftCounts = new long[n];
        wrapShiftCounts = new long[n];
        for (int e = 0; e < n; e++) {
            shiftCounts[e] = shift[e];
            wrapShiftCounts[e] = wrapShift[e];
        }
        this.row = vector && fast && proven && VECTOR_ROW != null ? VECTOR_ROW : null;
    }

    /** Whether the Vector API row runs. */
    boolean vectorized() {
        return row != null;
    }

    /** The output tensor's array type. */
    Class<?> outputType() {
        return output;
    }

    /**
     * This requantizer writing a tensor of {@code type} ({@code float[]}, {@code int[]} or {@code double[]}: the
     * packed operand type of the dense layer it feeds, which multiplies it in place); the caller has proven every
     * output mantissa exact in that type.
     */
    RequantizeFixedKernel writing(Class<?> type) {
        return new RequantizeFixedKernel(
                inFrac, fmts, rounding, overflow, inputRange, relu, src, dst, type, row != null);
    }

    @Override
    public void run(Object[] env, int batch) {
        long[] x = (long[]) env[src];
        if (row != null) {
            Object y = Workspace.typed(env, dst, batch * n, output);
            for (int b = 0; b < batch; b++) {
                row.row(this, x, b * n, y, b * n);
            }
            return;
        }
        if (output == long[].class) {
            long[] y = Workspace.longs(env, dst, batch * n);
            for (int b = 0; b < batch; b++) {
                row(x, b * n, y, b * n);
            }
            return;
        }
        // one sample at a time into a long row, then into the operand type
        Object y = Workspace.typed(env, dst, batch * n, output);
        long[] row = new long[n];
        for (int b = 0; b < batch; b++) {
            int off = b * n;
            row(x, off, row, 0);
            if (y instanceof float[] f) {
                for (int e = 0; e < n; e++) {
                    f[off + e] = row[e];
                }
            } else if (y instanceof int[] i) {
                for (int e = 0; e < n; e++) {
                    i[off + e] = (int) row[e];
                }
            } else {
                double[] d = (double[]) y;
                for (int e = 0; e < n; e++) {
                    d[off + e] = row[e];
                }
            }
        }
    }

    /** Requantizes the sample {@code x[xb …]} into {@code y[yb …]}. */
    private void row(long[] x, int xb, long[] y, int yb) {
        if (!fast) {
            for (int e = 0; e < n; e++) {
                long m = relu ? Math.max(0L, x[xb + e]) : x[xb + e];
                // JDK-8376400: the precomputed int width, not isZeroWidth()
                y[yb + e] = fmts[e].width() <= 0 ? 0L : requantize(m, shift[e], fmts[e], rounding, overflow);
            }
        } else if (!proven) {
            checkedRow(x, xb, y, yb);
        } else if (wrap) {
            wrapRow(x, xb, y, yb);
        } else {
            satRow(x, xb, y, yb);
        }
    }

    /** The proven fast path for elements {@code from …} of the sample {@code x[xb …]}, into {@code y[yb …]} of any type. */
    void scalarTail(long[] x, int xb, Object y, int yb, int from) {
        for (int e = from; e < n; e++) {
            long m = relu ? Math.max(0L, x[xb + e]) : x[xb + e];
            long v = (m + half[e]) >> shift[e];
            v = wrap ? wrap(v, e) : Math.min(Math.max(v, lo[e]), hi[e]);
            if (y instanceof float[] f) {
                f[yb + e] = v;
            } else if (y instanceof int[] i) {
                i[yb + e] = (int) v;
            } else if (y instanceof double[] d) {
                d[yb + e] = v;
            } else {
                ((long[]) y)[yb + e] = v;
            }
        }
    }

    private void satRow(long[] x, int xb, long[] y, int yb) {
        for (int e = 0; e < n; e++) {
            long m = relu ? Math.max(0L, x[xb + e]) : x[xb + e];
            long v = (m + half[e]) >> shift[e];
            y[yb + e] = Math.min(Math.max(v, lo[e]), hi[e]);
        }
    }

    private void wrapRow(long[] x, int xb, long[] y, int yb) {
        for (int e = 0; e < n; e++) {
            long m = relu ? Math.max(0L, x[xb + e]) : x[xb + e];
            y[yb + e] = wrap((m + half[e]) >> shift[e], e);
        }
    }

    private long wrap(long v, int e) {
        int s = wrapShift[e];
        long t = v << s;
        long sx = t >> s;
        long zx = t >>> s;
        return (zx ^ ((sx ^ zx) & signedMask[e])) & keepMask[e];
    }

    private void checkedRow(long[] x, int xb, long[] y, int yb) {
        for (int e = 0; e < n; e++) {
            long m = relu ? Math.max(0L, x[xb + e]) : x[xb + e];
            long v;
            if (m > LIMIT || m < -LIMIT) {
                v = fmts[e].width() <= 0 ? 0L : requantize(m, shift[e], fmts[e], rounding, overflow);
            } else {
                v = (m + half[e]) >> shift[e];
                v = wrap ? wrap(v, e) : Math.min(Math.max(v, lo[e]), hi[e]);
            }
            y[yb + e] = v;
        }
    }

    /**
     * {@code overflow(round(m · 2^-shift))} exactly. A right shift rounds; a left shift is exact
     * unless it leaves the long range, where SAT saturates by sign (the true value is beyond any
     * format) and WRAP keeps the value modulo 2^64, which every format width (≤ 64) divides.
     */
    static long requantize(long m, int shift, FixedFormat to, RoundingMode r, OverflowMode o) {
        long v;
        if (shift >= 0) {
            v = FixedPoint.shiftRightRounded(m, shift, r);
        } else {
            int s = -shift;
            if (m == 0) {
                v = 0;
            } else if (s < 63 && (m << s) >> s == m) {
                v = m << s;
            } else if (o == OverflowMode.WRAP) {
                v = s >= 64 ? 0 : m << s;
            } else {
                v = m > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            }
        }
        return FixedPoint.applyOverflow(v, to, o);
    }
}
