package org.qat4j.export.c;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.Register;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.SparqOp;
import org.qat4j.runtime.model.TensorInfo;
import org.qat4j.runtime.model.TensorKind;

/**
 * One C function per op of the integer model ({@code static int op_N(inputs..., output)}), with the
 * semantics of docs/format.md: integer ops on {@code int64_t} tensors; dense/conv/add/avgpool
 * accumulate in {@code int32_t} where the checked certificate proves the layer needs at most 32 bits,
 * else {@code int64_t} (every partial sum in any order lies in the certified interval, so neither the
 * products nor the sums overflow); zero weights are dropped (sparse rows: weight, input index); float
 * ops in the runtime's float32 order.
 */
final class COpWriter {
    private final IntegerModel model;
    private final CertifiedWidths widths;
    private final StringBuilder out = new StringBuilder();
    private final List<Register> registers = new ArrayList<>();

    COpWriter(IntegerModel model, CertifiedWidths widths) {
        this.model = model;
        this.widths = widths;
    }

    String source() {
        return out.toString();
    }

    List<Register> registers() {
        return registers;
    }

    static String cType(TensorInfo t) {
        return t.kind() == TensorKind.FLOAT ? "float" : "int64_t";
    }

    /** Writes op number {@code n}. */
    void write(int n, ModelOp op) {
        String fn = "op_" + n;
        TensorInfo o = model.tensor(op.name());
        out.append("\n/* op ")
                .append(n)
                .append(": ")
                .append(op.opType())
                .append(" '")
                .append(safe(op.name()))
                .append("' */\n");
        String params = params(op) + ", " + cType(o) + " *y";
        if (op instanceof QuantizeFixedOp q) {
            quantizeFixed(fn, params, q, o);
        } else if (op instanceof QuantizeScaledOp q) {
            out.append("static int ")
                    .append(fn)
                    .append('(')
                    .append(params)
                    .append(") {\n    int e;\n    for (e = 0; e < ")
                    .append(o.numel())
                    .append("; e++) {\n        float q = x[e] / ")
                    .append(CArrays.floatLiteral(q.scale()))
                    .append(
                            ";\n        float r;\n        if (q != q) return QAT_ERROR_NAN;\n        r = qat_rintf(q);\n        y[e] = r <= ")
                    .append(CArrays.floatLiteral((float) q.min()))
                    .append(" ? ")
                    .append(CArrays.literal(q.min()))
                    .append(" : (r >= ")
                    .append(CArrays.floatLiteral((float) q.max()))
                    .append(" ? ")
                    .append(CArrays.literal(q.max()))
                    .append(" : (int64_t) r);\n")
                    .append("    }\n    return 0;\n}\n");
        } else if (op instanceof RequantizeFixedOp q) {
            requantize(fn, params, q, o);
        } else if (op instanceof DequantizeFixedOp d) {
            int[] frac = d.frac();
            double[] scale = new double[frac.length];
            for (int t = 0; t < frac.length; t++) {
                scale[t] = Math.scalb(1.0, -frac[t]);
            }
            CArrays.doubleTable(out, fn + "_scale", scale);
            out.append("static int ")
                    .append(fn)
                    .append('(')
                    .append(params)
                    .append(") {\n    int e;\n    for (e = 0; e < ")
                    .append(o.numel())
                    .append(
                            "; e++) {\n        if (x[e] > (INT64_C(1) << 53) || x[e] < -(INT64_C(1) << 53)) return QAT_ERROR_INEXACT;\n")
                    .append("        y[e] = (float) ((double) x[e] * ")
                    .append(fn)
                    .append("_scale[")
                    .append(index(frac.length, o))
                    .append("]);\n")
                    .append("    }\n    return 0;\n}\n");
        } else if (op instanceof DequantizeScaledOp d) {
            dequantizeScaled(fn, params, d, o);
        } else if (op instanceof DenseOp d) {
            dense(fn, params, d);
        } else if (op instanceof ConvOp c) {
            conv(fn, params, c, o);
        } else if (op instanceof AddOp a) {
            String acc = accumulator(a.name());
            out.append("static int ")
                    .append(fn)
                    .append('(')
                    .append(params)
                    .append(") {\n    int e;\n    for (e = 0; e < ")
                    .append(o.numel())
                    .append("; e++) {\n        ")
                    .append(acc)
                    .append(" acc; /* ")
                    .append(registerMark(a.name(), acc))
                    .append(" */\n")
                    .append("        acc = (")
                    .append(acc)
                    .append(") x[e] + (")
                    .append(acc)
                    .append(") x2[e];\n        y[e] = acc;\n")
                    .append("    }\n    return 0;\n}\n");
        } else if (op instanceof FloatAddOp) {
            loop(fn, params, o.numel(), "y[e] = x[e] + x2[e];");
        } else if (op instanceof EmbeddingOp m) {
            embedding(fn, params, m);
        } else if (op instanceof SparqOp q) {
            sparq(fn, params, q, o);
        } else if (op instanceof MultipointDenseOp m) {
            multipoint(fn, params, m);
        } else if (op instanceof ReluOp) {
            String body = o.kind() == TensorKind.FLOAT
                    ? "y[e] = x[e] > 0.0f ? x[e] : (x[e] != x[e] ? x[e] : 0.0f);"
                    : "y[e] = x[e] > 0 ? x[e] : 0;";
            loop(fn, params, o.numel(), body);
        } else if (op instanceof FlattenOp) {
            loop(fn, params, o.numel(), "y[e] = x[e];");
        } else if (op instanceof PoolOp p) {
            pool(fn, params, p, o);
        } else {
            throw new ExportException("op '" + op.name() + "': " + op.opType() + " has no C export");
        }
    }

    private String params(ModelOp op) {
        List<String> in = op.inputs();
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < in.size(); t++) {
            b.append(t > 0 ? ", " : "")
                    .append("const ")
                    .append(cType(model.tensor(in.get(t))))
                    .append(t == 0 ? " *x" : " *x" + (t + 1));
        }
        return b.toString();
    }

    private void loop(String fn, String params, int n, String body) {
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int e;\n    for (e = 0; e < ")
                .append(n)
                .append("; e++) {\n        ")
                .append(body)
                .append("\n    }\n    return 0;\n}\n");
    }

    /** Index into a per-tensor/channel/element attribute table of length {@code length}. */
    private static String index(int length, TensorInfo t) {
        if (length == 1) {
            return "0";
        }
        if (length == t.numel()) {
            return "e";
        }
        return "e / " + (t.numel() / t.shape()[0]);
    }

    /** Tables of one format list: fraction, width, sign bit, mantissa bounds. */
    private void formatTables(String fn, FixedFormats formats, OverflowMode overflow) {
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

    private void quantizeFixed(String fn, String params, QuantizeFixedOp q, TensorInfo o) {
        FixedFormats f = q.formats();
        CArrays.table(out, fn + "_f", CArrays.widen(f.f()), false);
        formatTables(fn, f, q.overflow());
        String i = index(f.length(), o);
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int e, rc;\n    for (e = 0; e < ")
                .append(o.numel())
                .append("; e++) {\n        rc = qat_quantize(x[e], ")
                .append(fn)
                .append("_f[")
                .append(i)
                .append("], ")
                .append(fmtArgs(fn, i))
                .append(", QAT_")
                .append(q.rounding())
                .append(", QAT_")
                .append(q.overflow())
                .append(", &y[e]);\n")
                .append("        if (rc != 0) return rc;\n    }\n    return 0;\n}\n");
    }

    private static String fmtArgs(String fn, String i) {
        return fn + "_w[" + i + "], " + fn + "_k[" + i + "], " + fn + "_lo[" + i + "], " + fn + "_hi[" + i + "]";
    }

    private void requantize(String fn, String params, RequantizeFixedOp q, TensorInfo o) {
        FixedFormats f = q.formats();
        int[] inFrac = q.inputFrac();
        int[] outF = f.f();
        boolean sameLength = inFrac.length == outF.length;
        String si;
        if (sameLength) {
            long[] shift = new long[inFrac.length];
            for (int t = 0; t < shift.length; t++) {
                shift[t] = (long) inFrac[t] - outF[t];
            }
            CArrays.table(out, fn + "_s", shift, false);
            si = fn + "_s[" + index(shift.length, o) + "]";
        } else {
            CArrays.table(out, fn + "_in", CArrays.widen(inFrac), false);
            CArrays.table(out, fn + "_f", CArrays.widen(outF), false);
            si = "(int) " + fn + "_in[" + index(inFrac.length, o) + "] - (int) " + fn + "_f[" + index(outF.length, o)
                    + "]";
        }
        formatTables(fn, f, q.overflow());
        String i = index(f.length(), o);
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int e;\n    for (e = 0; e < ")
                .append(o.numel())
                .append("; e++) {\n        y[e] = qat_requantize(x[e], ")
                .append(si)
                .append(", ")
                .append(fmtArgs(fn, i))
                .append(", QAT_")
                .append(q.rounding())
                .append(", QAT_")
                .append(q.overflow())
                .append(");\n    }\n    return 0;\n}\n");
    }

    private void dequantizeScaled(String fn, String params, DequantizeScaledOp d, TensorInfo o) {
        int channels = o.shape().length == 0 ? 1 : o.shape()[0];
        float[] sc = d.channelScale();
        float[] bias = d.bias();
        float[] m = new float[channels];
        float[] bb = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = d.inputScale() * sc[sc.length == 1 ? 0 : c];
            bb[c] = bias == null ? 0f : bias[bias.length == 1 ? 0 : c];
        }
        CArrays.floatTable(out, fn + "_m", m);
        if (bias != null) {
            CArrays.floatTable(out, fn + "_b", bb);
        }
        int per = o.numel() / channels;
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int e;\n    for (e = 0; e < ")
                .append(o.numel())
                .append("; e++) {\n        float v = (float) x[e] * ")
                .append(fn)
                .append("_m[e / ")
                .append(per)
                .append("];\n");
        if (bias != null) {
            out.append("        v = v + ")
                    .append(fn)
                    .append("_b[e / ")
                    .append(per)
                    .append("];\n");
        }
        out.append("        y[e] = v;\n    }\n    return 0;\n}\n");
    }

    private String accumulator(String layer) {
        int bits = widths.layerBits(layer);
        String type = bits <= 32 ? "int32_t" : "int64_t";
        registers.add(new Register(layer + ".acc", bits <= 32 ? 32 : 64, bits));
        return type;
    }

    private static String registerMark(String layer, String type) {
        return "qat4j-register " + safe(layer) + ".acc";
    }

    /** Sparse rows: non-zero weights of each output row with their tap numbers. */
    private record Sparse(long[] ptr, long[] tap, long[] w) {
        static Sparse of(int[] weights, int rows) {
            int per = weights.length / rows;
            int nnz = 0;
            for (int v : weights) {
                nnz += v != 0 ? 1 : 0;
            }
            long[] ptr = new long[rows + 1];
            long[] tap = new long[nnz];
            long[] w = new long[nnz];
            int t = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < per; j++) {
                    int v = weights[r * per + j];
                    if (v != 0) {
                        tap[t] = j;
                        w[t++] = v;
                    }
                }
                ptr[r + 1] = t;
            }
            return new Sparse(ptr, tap, w);
        }
    }

    private void dense(String fn, String params, DenseOp d) {
        Sparse s = Sparse.of(d.weights(), d.outFeatures());
        CArrays.table(out, fn + "_w", s.w(), false);
        CArrays.table(out, fn + "_j", s.tap(), true);
        CArrays.table(out, fn + "_row", s.ptr(), true);
        CArrays.table(out, fn + "_b", d.bias(), false);
        String acc = accumulator(d.name());
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int o, t;\n    for (o = 0; o < ")
                .append(d.outFeatures())
                .append("; o++) {\n        ")
                .append(acc)
                .append(" acc; /* ")
                .append(registerMark(d.name(), acc))
                .append(" */\n        acc = (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_b[o];\n        for (t = (int) ")
                .append(fn)
                .append("_row[o]; t < (int) ")
                .append(fn)
                .append("_row[o + 1]; t++) {\n            acc += (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_w[t] * (")
                .append(acc)
                .append(") x[")
                .append(fn)
                .append("_j[t]];\n        }\n        y[o] = acc;\n")
                .append("    }\n    return 0;\n}\n");
    }

    /**
     * {@code multipoint_dense}: per output channel, each point row accumulated in its own register (the
     * width the certificate proves for {@code name/points}), multiplied by its integer multiplier and added
     * to the channel's register (the width proven for {@code name}); each term lies in the certified
     * any-order interval of its register, so neither products nor sums overflow.
     */
    private void multipoint(String fn, String params, MultipointDenseOp m) {
        Sparse s = Sparse.of(m.codes(), m.rows());
        long[] start = new long[m.outFeatures() + 1];
        int[] rs = m.rowStarts();
        for (int o = 0; o < start.length; o++) {
            start[o] = rs[o];
        }
        CArrays.table(out, fn + "_w", s.w(), false);
        CArrays.table(out, fn + "_j", s.tap(), true);
        CArrays.table(out, fn + "_row", s.ptr(), true);
        CArrays.table(out, fn + "_m", m.multipliers(), false);
        CArrays.table(out, fn + "_start", start, true);
        CArrays.table(out, fn + "_b", m.bias(), false);
        String pacc = accumulator(m.pointsName());
        String acc = accumulator(m.name());
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int o, r, t;\n    for (o = 0; o < ")
                .append(m.outFeatures())
                .append("; o++) {\n        ")
                .append(acc)
                .append(" acc; /* ")
                .append(registerMark(m.name(), acc))
                .append(" */\n        acc = (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_b[o];\n        for (r = (int) ")
                .append(fn)
                .append("_start[o]; r < (int) ")
                .append(fn)
                .append("_start[o + 1]; r++) {\n            ")
                .append(pacc)
                .append(" a; /* ")
                .append(registerMark(m.pointsName(), pacc))
                .append(" */\n            a = 0;\n            for (t = (int) ")
                .append(fn)
                .append("_row[r]; t < (int) ")
                .append(fn)
                .append("_row[r + 1]; t++) {\n                a += (")
                .append(pacc)
                .append(") ")
                .append(fn)
                .append("_w[t] * (")
                .append(pacc)
                .append(") x[")
                .append(fn)
                .append("_j[t]];\n            }\n")
                .append("            acc += (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_m[r] * (")
                .append(acc)
                .append(") a;\n")
                .append("        }\n        y[o] = acc;\n    }\n    return 0;\n}\n");
    }

    private void conv(String fn, String params, ConvOp c, TensorInfo o) {
        boolean one = c.kernel().length == 1;
        int[] in = model.tensor(c.input()).shape();
        int ih = one ? 1 : in[1];
        int iw = one ? in[1] : in[2];
        int oh = one ? 1 : o.shape()[1];
        int ow = one ? o.shape()[1] : o.shape()[2];
        int kh = one ? 1 : c.kernel()[0];
        int kw = c.kernel()[one ? 0 : 1];
        int sh = one ? 1 : c.stride()[0];
        int sw = c.stride()[one ? 0 : 1];
        int ph = one ? 0 : c.padding()[0];
        int pw = c.padding()[one ? 0 : 1];
        int dh = one ? 1 : c.dilation()[0];
        int dw = c.dilation()[one ? 0 : 1];
        Sparse s = Sparse.of(c.weights(), c.outChannels());
        int nnz = s.tap().length;
        long[] ch = new long[nnz];
        long[] dy = new long[nnz];
        long[] dx = new long[nnz];
        long[] y0 = new long[nnz];
        long[] y1 = new long[nnz];
        long[] x0 = new long[nnz];
        long[] x1 = new long[nnz];
        for (int t = 0; t < nnz; t++) {
            int tap = (int) s.tap()[t];
            ch[t] = tap / (kh * kw);
            dy[t] = (long) ((tap / kw) % kh) * dh - ph;
            dx[t] = (long) (tap % kw) * dw - pw;
            // output rows/columns whose input position oy·stride + dy lies inside the input (the rest is zero padding)
            y0[t] = firstInside(dy[t], sh);
            y1[t] = endInside(dy[t], sh, ih, oh);
            x0[t] = firstInside(dx[t], sw);
            x1[t] = endInside(dx[t], sw, iw, ow);
        }
        CArrays.table(out, fn + "_w", s.w(), false);
        CArrays.table(out, fn + "_c", ch, true);
        CArrays.table(out, fn + "_dy", dy, false);
        CArrays.table(out, fn + "_dx", dx, false);
        CArrays.table(out, fn + "_y0", y0, true);
        CArrays.table(out, fn + "_y1", y1, true);
        CArrays.table(out, fn + "_x0", x0, true);
        CArrays.table(out, fn + "_x1", x1, true);
        CArrays.table(out, fn + "_row", s.ptr(), true);
        CArrays.table(out, fn + "_b", c.bias(), false);
        String acc = accumulator(c.name());
        int plane = oh * ow;
        // tap-major: each non-zero weight is added to every output position it reaches; the certificate bounds
        // every partial sum in any order, so the order of the terms is free
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int o, oy, ox, p, t;\n")
                .append("    for (o = 0; o < ")
                .append(c.outChannels())
                .append("; o++) {\n")
                .append("        ")
                .append(acc)
                .append(" acc[")
                .append(plane)
                .append("]; /* ")
                .append(registerMark(c.name(), acc))
                .append(" */\n")
                .append("        for (p = 0; p < ")
                .append(plane)
                .append("; p++) acc[p] = (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_b[o];\n")
                .append("        for (t = (int) ")
                .append(fn)
                .append("_row[o]; t < (int) ")
                .append(fn)
                .append("_row[o + 1]; t++) {\n")
                .append("            const ")
                .append(acc)
                .append(" w = (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_w[t];\n")
                .append("            const int64_t *xc = x + (int) ")
                .append(fn)
                .append("_c[t] * ")
                .append(ih * iw)
                .append(";\n")
                .append("            for (oy = (int) ")
                .append(fn)
                .append("_y0[t]; oy < (int) ")
                .append(fn)
                .append("_y1[t]; oy++) {\n")
                .append("                const int64_t *xr = xc + (oy * ")
                .append(sh)
                .append(" + ")
                .append(fn)
                .append("_dy[t]) * ")
                .append(iw)
                .append(" + ")
                .append(fn)
                .append("_dx[t];\n")
                .append("                ")
                .append(acc)
                .append(" *ar = acc + oy * ")
                .append(ow)
                .append(";\n")
                .append("                for (ox = (int) ")
                .append(fn)
                .append("_x0[t]; ox < (int) ")
                .append(fn)
                .append("_x1[t]; ox++) {\n")
                .append("                    ar[ox] += w * (")
                .append(acc)
                .append(") xr[ox * ")
                .append(sw)
                .append("];\n")
                .append("                }\n            }\n        }\n")
                .append("        for (p = 0; p < ")
                .append(plane)
                .append("; p++) y[o * ")
                .append(plane)
                .append(" + p] = acc[p];\n")
                .append("    }\n    return 0;\n}\n");
    }

    /** Smallest output index q ≥ 0 with q·stride + d ≥ 0. */
    private static long firstInside(long d, int stride) {
        return d >= 0 ? 0 : (-d + stride - 1) / stride;
    }

    /** One past the largest output index q &lt; outLen with q·stride + d ≤ inLen − 1 (at least the first). */
    private static long endInside(long d, int stride, int inLen, int outLen) {
        long last = inLen - 1 - d;
        long end = last < 0 ? 0 : Math.min(outLen, last / stride + 1);
        return Math.max(end, firstInside(d, stride));
    }

    /**
     * {@code embedding}: rows selected by in-range indices, decoded from their codes (affine
     * {@code scale_r·c + offset_r} in int64_t, or the row's codebook entry) and summed per column.
     */
    private void embedding(String fn, String params, EmbeddingOp m) {
        int positions = model.tensor(m.input()).numel();
        CArrays.table(out, fn + "_code", CArrays.widen(m.codes()), true);
        String value;
        if (m.kind() == EmbeddingOp.Kind.AFFINE) {
            CArrays.table(out, fn + "_scale", m.scale(), false);
            CArrays.table(out, fn + "_offset", m.offset(), false);
            value = "(int64_t) " + fn + "_scale[r] * (int64_t) " + fn + "_code[r * " + m.dim() + " + d] + (int64_t) "
                    + fn + "_offset[r]";
        } else {
            CArrays.table(out, fn + "_book", m.codebook(), false);
            value = "(int64_t) " + fn + "_book[(r << " + m.codeBits() + ") + " + fn + "_code[r * " + m.dim() + " + d]]";
        }
        String acc = accumulator(m.name());
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int l, d;\n")
                .append("    ")
                .append(acc)
                .append(" acc[")
                .append(m.dim())
                .append("]; /* ")
                .append(registerMark(m.name(), acc))
                .append(" */\n")
                .append("    for (d = 0; d < ")
                .append(m.dim())
                .append("; d++) acc[d] = 0;\n")
                .append("    for (l = 0; l < ")
                .append(positions)
                .append("; l++) {\n")
                .append("        int64_t r = x[l];\n")
                .append("        if (r < 0 || r >= ")
                .append(m.rows())
                .append(") continue;\n")
                .append("        for (d = 0; d < ")
                .append(m.dim())
                .append("; d++) acc[d] += (")
                .append(acc)
                .append(") (")
                .append(value)
                .append(");\n    }\n")
                .append("    for (d = 0; d < ")
                .append(m.dim())
                .append("; d++) y[d] = acc[d];\n    return 0;\n}\n");
    }

    /**
     * {@code sparq} (SPARQ, arXiv 2105.11010 §3): the window is chosen in C (the lowest allowed shift s with
     * {@code x < 2^(s + n)}), not looked up, so the differential test compares two implementations; vSPARQ pairs
     * channels (2c, 2c+1). An input outside [0, 2^N − 1] (excluded by the certificate) returns QAT_ERROR_INEXACT.
     */
    private void sparq(String fn, String params, SparqOp q, TensorInfo o) {
        int channels = o.shape()[0];
        int per = o.numel() / channels;
        int[] shifts = q.placements();
        int maxW = (1 << q.windowBits()) - 1;
        out.append("static const int ")
                .append(fn)
                .append("_shift[")
                .append(shifts.length)
                .append("] = {");
        for (int j = 0; j < shifts.length; j++) {
            out.append(j > 0 ? ", " : "").append(shifts[j]);
        }
        out.append("};\n");
        out.append("static int64_t ")
                .append(fn)
                .append("_trim(int64_t v) {\n    int j, s = ")
                .append(shifts[shifts.length - 1])
                .append(";\n    int64_t w;\n    for (j = 0; j < ")
                .append(shifts.length)
                .append("; j++) {\n")
                .append("        if (v < (INT64_C(1) << (")
                .append(fn)
                .append("_shift[j] + ")
                .append(q.windowBits())
                .append("))) {\n")
                .append("            s = ")
                .append(fn)
                .append("_shift[j];\n            break;\n        }\n    }\n    w = v >> s;\n");
        if (q.rounding()) {
            out.append("    if (s > 0) {\n        w += (v >> (s - 1)) & 1;\n        if (w > ")
                    .append(maxW)
                    .append(") w = ")
                    .append(maxW)
                    .append(";\n    }\n");
        }
        out.append("    return w << s;\n}\n");
        long top = (1L << q.inputBits()) - 1;
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int e;\n    for (e = 0; e < ")
                .append(o.numel())
                .append("; e++) {\n        if (x[e] < 0 || x[e] > ")
                .append(top)
                .append(") return QAT_ERROR_INEXACT;\n    }\n");
        if (!q.pairs()) {
            out.append("    for (e = 0; e < ")
                    .append(o.numel())
                    .append("; e++) y[e] = ")
                    .append(fn)
                    .append("_trim(x[e]);\n");
        } else {
            String a = "c * " + per + " + i";
            String b = "(c + 1) * " + per + " + i";
            out.append("    {\n        int c, i;\n        for (c = 0; c + 1 < ")
                    .append(channels)
                    .append("; c += 2) {\n")
                    .append("            for (i = 0; i < ")
                    .append(per)
                    .append("; i++) {\n")
                    .append("                int64_t a = x[")
                    .append(a)
                    .append("], b = x[")
                    .append(b)
                    .append("];\n")
                    .append("                int zero = a == 0 || b == 0;\n")
                    .append("                y[")
                    .append(a)
                    .append("] = zero ? a : ")
                    .append(fn)
                    .append("_trim(a);\n")
                    .append("                y[")
                    .append(b)
                    .append("] = zero ? b : ")
                    .append(fn)
                    .append("_trim(b);\n")
                    .append("            }\n        }\n");
            if (channels % 2 == 1) {
                out.append("        for (i = 0; i < ")
                        .append(per)
                        .append("; i++) y[")
                        .append((channels - 1) * per)
                        .append(" + i] = x[")
                        .append((channels - 1) * per)
                        .append(" + i];\n");
            }
            out.append("        (void) e;\n    }\n");
        }
        out.append("    return 0;\n}\n");
    }

    private void pool(String fn, String params, PoolOp p, TensorInfo o) {
        boolean one = p.window().length == 1;
        int[] in = model.tensor(p.input()).shape();
        int ih = one ? 1 : in[1];
        int iw = one ? in[1] : in[2];
        int oh = one ? 1 : o.shape()[1];
        int ow = one ? o.shape()[1] : o.shape()[2];
        int kh = one ? 1 : p.window()[0];
        int kw = p.window()[one ? 0 : 1];
        int sh = one ? 1 : p.stride()[0];
        int sw = p.stride()[one ? 0 : 1];
        String acc;
        String init;
        String step;
        String result;
        switch (p.kind()) {
            case MAX -> {
                acc = "int64_t";
                init = "INT64_MIN";
                step = "if (v > acc) acc = v;";
                result = "acc";
            }
            case AVG -> {
                acc = accumulator(p.name());
                init = "0";
                step = "acc += (" + acc + ") v;";
                result = "acc";
            }
            default -> {
                acc = "float";
                init = "0.0f";
                step = "acc = acc + v;";
                result = "acc / " + CArrays.floatLiteral((float) p.windowSize());
            }
        }
        String vType = p.kind() == PoolOp.Kind.FLOAT_AVG ? "float" : "int64_t";
        String decl =
                p.kind() == PoolOp.Kind.AVG ? acc + " acc; /* " + registerMark(p.name(), acc) + " */" : acc + " acc;";
        out.append("static int ")
                .append(fn)
                .append('(')
                .append(params)
                .append(") {\n    int c, oy, ox, ty, tx;\n")
                .append("    for (c = 0; c < ")
                .append(o.shape()[0])
                .append("; c++) {\n")
                .append("        for (oy = 0; oy < ")
                .append(oh)
                .append("; oy++) {\n")
                .append("            for (ox = 0; ox < ")
                .append(ow)
                .append("; ox++) {\n")
                .append("                ")
                .append(decl)
                .append("\n                acc = ")
                .append(init)
                .append(";\n")
                .append("                for (ty = 0; ty < ")
                .append(kh)
                .append("; ty++) {\n")
                .append("                    for (tx = 0; tx < ")
                .append(kw)
                .append("; tx++) {\n")
                .append("                        ")
                .append(vType)
                .append(" v = x[(c * ")
                .append(ih)
                .append(" + oy * ")
                .append(sh)
                .append(" + ty) * ")
                .append(iw)
                .append(" + ox * ")
                .append(sw)
                .append(" + tx];\n")
                .append("                        ")
                .append(step)
                .append("\n                    }\n                }\n")
                .append("                y[(c * ")
                .append(oh)
                .append(" + oy) * ")
                .append(ow)
                .append(" + ox] = ")
                .append(result)
                .append(";\n")
                .append("            }\n        }\n    }\n    return 0;\n}\n");
    }

    /** A name safe inside a C comment and as one register token. */
    static String safe(String name) {
        if (name.contains("*/") || name.contains("/*") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new ExportException(
                    "op name '" + name + "' cannot appear in generated code (whitespace or comment delimiters)");
        }
        return name;
    }
}
