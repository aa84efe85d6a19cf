package org.qat4j.onnx;

import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * ONNX nodes computing HGQ's fixed-point quantizer {@code m = overflow(round(y))} exactly on a float64
 * tensor {@code y} holding the scaled value ({@code x · 2^f} or {@code m_in · 2^(f − f_in)}, both exact
 * power-of-two scalings), with the rounding and overflow modes of docs/fixed-point.md (HGQ arXiv
 * 2405.00645 §3, Xilinx {@code ap_fixed}).
 *
 * <p>ONNX {@code Round} rounds half to even, so only {@code RND_CONV} uses it. The other modes are
 * built from exact operations: with {@code fl = Floor(y)} and the exact midpoint {@code fl + 0.5}
 * (never {@code y + 0.5}, which rounds for the double just below one half),
 * <pre>
 *   halfUp(y)   = fl + [y ≥ fl + 0.5]      RND          = halfUp(y)
 *   halfDown(y) = fl + [y > fl + 0.5]      RND_MIN_INF  = halfDown(y)
 *   TRN = Floor(y)   TRN_ZERO = y &lt; 0 ? Ceil(y) : Floor(y)
 *   RND_INF  = y &lt; 0 ? −halfUp(−y)   : halfUp(y)     (ties away from zero)
 *   RND_ZERO = y &lt; 0 ? −halfDown(−y) : halfDown(y)   (ties toward zero)
 * </pre>
 * SAT and SAT_SYM clip {@code y} to the grid points {@code [lo, hi]} before rounding (the same as after:
 * every rule is monotone and fixes integers). WRAP first reduces {@code y} modulo {@code 2^B} with
 * {@code Mod(fmod=1)} (exact, keeps the sign and the fraction), rounds, then wraps the integer exactly:
 * {@code r − 2^B · Floor((r − lo) · 2^−B)}. Zero-width formats give 0. Every step is exact in float64
 * while {@code |fl| < 2^52}, which formats of at most 52 bits guarantee after the clip or the reduction.
 */
final class ExactQuantizerNodes {
    /** Widest format the float64 construction carries exactly. */
    static final int MAX_WIDTH = 52;

    private ExactQuantizerNodes() {}

    /**
     * Emits the quantizer on {@code y} (float64, shape {@code [N, shape...]}); returns the float64
     * mantissas.
     */
    static String quantize(
            OnnxGraph g, String hint, String y, FixedFormat[] fmts, int[] shape, RoundingMode r, OverflowMode o) {
        int n = fmts.length;
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] period = new double[n];
        double[] invPeriod = new double[n];
        boolean[] live = new boolean[n];
        boolean anyDead = false;
        for (int e = 0; e < n; e++) {
            FixedFormat f = fmts[e];
            int width = f.width();
            if (width > MAX_WIDTH) {
                throw new OnnxExportException(hint + ": format " + f + " is " + width
                        + " bits wide; the exact ONNX form carries at most " + MAX_WIDTH + "-bit mantissas in float64");
            }
            live[e] = width > 0;
            anyDead |= !live[e];
            period[e] = live[e] ? Math.scalb(1.0, width) : 1.0;
            invPeriod[e] = 1.0 / period[e];
            if (live[e]) {
                lo[e] = f.minMantissa(o);
                hi[e] = f.maxMantissa();
            }
        }
        Consts c = new Consts(g, hint, shape);
        String v = y;
        if (o == OverflowMode.WRAP) {
            v = g.op("Mod", hint + "/reduced", v, c.of("period", period), OnnxGraph.Attr.i("fmod", 1));
        } else {
            v = g.op("Max", hint + "/clipLo", g.op("Min", hint + "/clipHi", v, c.of("hi", hi)), c.of("lo", lo));
        }
        v = round(g, hint, v, r);
        if (o == OverflowMode.WRAP) {
            String t = g.op("Sub", hint + "/offset", v, c.of("lo", lo));
            String q = g.op("Floor", hint + "/periods", g.op("Mul", hint + "/scaled", t, c.of("invPeriod", invPeriod)));
            v = g.op("Sub", hint + "/wrapped", v, g.op("Mul", hint + "/whole", q, c.of("period", period)));
        }
        if (anyDead) {
            v = g.op("Where", hint + "/pruned", c.bool("live", live), v, g.scalar(hint + "/zero", NumType.F64, 0.0));
        }
        return v;
    }

    /** Rounds a float64 tensor by {@code r}, exactly (see the class comment). */
    static String round(OnnxGraph g, String hint, String y, RoundingMode r) {
        return switch (r) {
            case RND -> half(g, hint, y, true);
            case RND_MIN_INF -> half(g, hint, y, false);
            case RND_CONV -> g.op("Round", hint + "/rnd_conv", y);
            case TRN -> g.op("Floor", hint + "/trn", y);
            case TRN_ZERO ->
                g.op(
                        "Where",
                        hint + "/trn_zero",
                        negative(g, hint, y),
                        g.op("Ceil", hint + "/ceil", y),
                        g.op("Floor", hint + "/floor", y));
            case RND_INF -> symmetric(g, hint, y, true);
            case RND_ZERO -> symmetric(g, hint, y, false);
        };
    }

    private static String negative(OnnxGraph g, String hint, String y) {
        return g.op("Less", hint + "/negative", y, g.scalar(hint + "/zero", NumType.F64, 0.0));
    }

    private static String symmetric(OnnxGraph g, String hint, String y, boolean tiesUp) {
        String neg = g.op("Neg", hint + "/minus", y);
        String onNeg = g.op("Neg", hint + "/back", half(g, hint + "/abs", neg, tiesUp));
        return g.op("Where", hint + "/signed", negative(g, hint, y), onNeg, half(g, hint, y, tiesUp));
    }

    private static String half(OnnxGraph g, String hint, String y, boolean tiesUp) {
        String fl = g.op("Floor", hint + "/floor", y);
        String mid = g.op("Add", hint + "/mid", fl, g.scalar(hint + "/half", NumType.F64, 0.5));
        String up = g.op(tiesUp ? "GreaterOrEqual" : "Greater", hint + "/up", y, mid);
        String inc = g.op("Cast", hint + "/inc", up, OnnxGraph.Attr.i("to", NumType.F64.onnx.getNumber()));
        return g.op("Add", hint + "/rounded", fl, inc);
    }

    /** Per-element constants, stored as scalars when uniform. */
    static final class Consts {
        private final OnnxGraph g;
        private final String hint;
        private final int[] shape;

        Consts(OnnxGraph g, String hint, int[] shape) {
            this.g = g;
            this.hint = hint;
            this.shape = shape.clone();
        }

        String of(String name, double[] v) {
            if (uniform(v)) {
                return g.scalar(hint + "/" + name, NumType.F64, v[0]);
            }
            return g.constDouble(hint + "/" + name, v, dims());
        }

        String bool(String name, boolean[] v) {
            return g.constBool(hint + "/" + name, v, dims());
        }

        private long[] dims() {
            long[] d = new long[shape.length];
            for (int a = 0; a < d.length; a++) {
                d[a] = shape[a];
            }
            return d;
        }

        private static boolean uniform(double[] v) {
            for (double x : v) {
                if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(v[0])) {
                    return false;
                }
            }
            return true;
        }
    }
}
