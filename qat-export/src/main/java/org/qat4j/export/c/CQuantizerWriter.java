package org.qat4j.export.c;

import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * The fixed-point format ops (HGQ arXiv 2405.00645, docs/fixed-point.md): {@code quantize_fixed} and
 * {@code requantize_fixed} as calls of the {@code qat_quantize}/{@code qat_requantize} helpers of
 * {@link CFixedPointSource} with per-tensor/channel/element format tables, and {@code dequantize_fixed}
 * ({@code x · 2^-f} in double, exact below 2^53, then one rounding to float32).
 */
final class CQuantizerWriter {
    private CQuantizerWriter() {}

    static void quantize(COpWriter w, String fn, String params, QuantizeFixedOp q, TensorInfo y) {
        StringBuilder out = w.out();
        FixedFormats f = q.formats();
        CArrays.table(out, fn + "_f", CArrays.widen(f.f()), false);
        formatTables(out, fn, f, q.overflow());
        String i = COpWriter.index(f.length(), y);
        w.function(fn, params).append("    int e, rc;\n");
        CLoops.open(out, 1, "e", 0, y.numel());
        out.append("        rc = qat_quantize(x[e], ")
                .append(fn)
                .append("_f[")
                .append(i)
                .append("], ")
                .append(formatArgs(fn, i, q.rounding(), q.overflow()))
                .append(", &y[e]);\n")
                .append("        if (rc != 0) return rc;\n");
        w.endElementLoop();
    }

    static void requantize(COpWriter w, String fn, String params, RequantizeFixedOp q, TensorInfo y) {
        StringBuilder out = w.out();
        FixedFormats f = q.formats();
        int[] inFrac = q.inputFrac();
        int[] outF = f.f();
        String si;
        if (inFrac.length == outF.length) {
            long[] shift = new long[inFrac.length];
            for (int t = 0; t < shift.length; t++) {
                shift[t] = (long) inFrac[t] - outF[t];
            }
            CArrays.table(out, fn + "_s", shift, false);
            si = fn + "_s[" + COpWriter.index(shift.length, y) + "]";
        } else {
            CArrays.table(out, fn + "_in", CArrays.widen(inFrac), false);
            CArrays.table(out, fn + "_f", CArrays.widen(outF), false);
            si = "(int) " + fn + "_in[" + COpWriter.index(inFrac.length, y) + "] - (int) " + fn + "_f["
                    + COpWriter.index(outF.length, y) + "]";
        }
        formatTables(out, fn, f, q.overflow());
        String i = COpWriter.index(f.length(), y);
        w.elementLoop(fn, params, y);
        out.append("        y[e] = qat_requantize(x[e], ")
                .append(si)
                .append(", ")
                .append(formatArgs(fn, i, q.rounding(), q.overflow()))
                .append(");\n");
        w.endElementLoop();
    }

    static void dequantize(COpWriter w, String fn, String params, DequantizeFixedOp d, TensorInfo y) {
        StringBuilder out = w.out();
        int[] frac = d.frac();
        double[] scale = new double[frac.length];
        for (int t = 0; t < frac.length; t++) {
            scale[t] = Math.scalb(1.0, -frac[t]);
        }
        CArrays.doubleTable(out, fn + "_scale", scale);
        w.elementLoop(fn, params, y);
        out.append("        if (x[e] > (INT64_C(1) << 53) || x[e] < -(INT64_C(1) << 53)) return QAT_ERROR_INEXACT;\n")
                .append("        y[e] = (float) ((double) x[e] * ")
                .append(fn)
                .append("_scale[")
                .append(COpWriter.index(frac.length, y))
                .append("]);\n");
        w.endElementLoop();
    }

    /** Tables of one format list: fraction, width, sign bit, mantissa bounds. */
    private static void formatTables(StringBuilder out, String fn, FixedFormats formats, OverflowMode overflow) {
        int len = formats.length();
        long[] w = new long[len];
        long[] k = new long[len];
        long[] lo = new long[len];
        long[] hi = new long[len];
        for (int t = 0; t < len; t++) {
            FixedFormat f = formats.get(t);
            w[t] = Math.max(0, f.width());
            k[t] = f.k();
            if (f.width() > 0) {
                lo[t] = f.minMantissa(overflow);
                hi[t] = f.maxMantissa();
            }
        }
        CArrays.table(out, fn + "_w", w, false);
        CArrays.table(out, fn + "_k", k, false);
        CArrays.table(out, fn + "_lo", lo, false);
        CArrays.table(out, fn + "_hi", hi, false);
    }

    /** The format table entries of element index {@code i}, then the rounding and overflow constants. */
    private static String formatArgs(String fn, String i, RoundingMode rounding, OverflowMode overflow) {
        return fn + "_w[" + i + "], " + fn + "_k[" + i + "], " + fn + "_lo[" + i + "], " + fn + "_hi[" + i + "], QAT_"
                + rounding + ", QAT_" + overflow;
    }
}
