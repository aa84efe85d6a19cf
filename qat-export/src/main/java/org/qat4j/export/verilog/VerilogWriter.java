package org.qat4j.export.verilog;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.Register;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.Granularity;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.PoolGeometry;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * The body of a fully parallel, fully unrolled Verilog-2005 datapath for the integer ops of a
 * fixed-point (HGQ) model: every weight a constant, each product written as the shifted adds and
 * subtractions of the weight's canonical signed digits, zero weights and pruned elements gone. Every
 * accumulator (dense/conv/avgpool output channel, adder element) is a signed wire exactly as wide as
 * the checked certificate proves that channel needs; Verilog's signed arithmetic is exact modulo 2^P,
 * and the certificate bounds the true sum (and every partial sum) inside P bits, so it is exact.
 * Requantization (docs/fixed-point.md) is an arithmetic shift, a rounding increment computed from the
 * dropped bits per mode, then saturation or wrapping.
 */
final class VerilogWriter {
    private final IntegerModel model;
    private final CertifiedWidths widths;
    private final int pipelineEvery;
    private final StringBuilder body = new StringBuilder();
    private final List<Register> registers = new ArrayList<>();
    private final java.util.Map<String, Sig[]> tensors = new java.util.HashMap<>();
    private int requantizers;
    private int latency;

    VerilogWriter(IntegerModel model, CertifiedWidths widths, int pipelineEvery) {
        this.model = model;
        this.widths = widths;
        this.pipelineEvery = pipelineEvery;
    }

    String body() {
        return body.toString();
    }

    List<Register> registers() {
        return registers;
    }

    int latency() {
        return latency;
    }

    void define(String tensor, Sig[] sigs) {
        tensors.put(tensor, sigs);
    }

    Sig[] tensor(String name) {
        return tensors.get(name);
    }

    private String wire(int width, String name) {
        return "wire signed [" + (width - 1) + ":0] " + name;
    }

    /** A signed literal of a width that holds v (and −v). */
    static String lit(long v) {
        long a = Math.abs(v);
        int w = 65 - Long.numberOfLeadingZeros(a);
        return (v < 0 ? "-" : "") + w + "'sd" + a;
    }

    /** Smallest signed width holding [lo, hi]. */
    static int signedBits(long lo, long hi) {
        int p = 1;
        while (p < 64 && (lo < -(1L << (p - 1)) || hi > (1L << (p - 1)) - 1)) {
            p++;
        }
        return p;
    }

    void write(int n, ModelOp op) {
        body.append("\n    // op ").append(n).append(": ").append(op.opType()).append(" '").append(op.name()).append("'\n");
        Sig[] out;
        if (op instanceof DenseOp d) {
            out = dense(n, d);
        } else if (op instanceof ConvOp c) {
            out = conv(n, c);
        } else if (op instanceof RequantizeFixedOp q) {
            out = requantize(n, q);
        } else if (op instanceof ReluOp) {
            out = relu(n, tensor(op.inputs().get(0)));
        } else if (op instanceof FlattenOp) {
            out = tensor(op.inputs().get(0));
        } else if (op instanceof AddOp a) {
            out = add(n, a);
        } else if (op instanceof PoolOp p && p.kind() != PoolOp.Kind.FLOAT_AVG) {
            out = pool(n, p);
        } else {
            throw new ExportException("op '" + op.name() + "' (" + op.opType() + ") has no Verilog export"
                    + (op.opType().contains("scaled") || op.opType().endsWith("_float")
                            ? ": it rescales with float32 scales (A2Q/A2Q+); Verilog is generated for fixed-point (HGQ) models only" : ""));
        }
        tensors.put(op.name(), out);
    }

    /** {@code bias + Σ w·x} as shifted adds; null terms skipped. */
    private static String sum(long bias, List<long[]> weightIndex, Sig[] x) {
        StringBuilder e = new StringBuilder(lit(bias));
        for (long[] wi : weightIndex) {
            Sig s = x[(int) wi[1]];
            if (s.zero() || wi[0] == 0) {
                continue;
            }
            for (Csd.Digit d : Csd.of(wi[0])) {
                e.append(d.negative() ? " - " : " + ");
                e.append(d.shift() == 0 ? s.ref() : "(" + s.ref() + " <<< " + d.shift() + ")");
            }
        }
        return e.toString();
    }

    private Sig[] dense(int n, DenseOp d) {
        Sig[] x = tensor(d.input());
        int[] need = widths.channelBits(d.name());
        int[] w = d.weights();
        long[] b = d.bias();
        Sig[] out = new Sig[d.outFeatures()];
        for (int o = 0; o < out.length; o++) {
            List<long[]> terms = new ArrayList<>();
            for (int j = 0; j < d.inFeatures(); j++) {
                terms.add(new long[] {w[o * d.inFeatures() + j], j});
            }
            String name = "a" + n + "_" + o;
            body.append("    ").append(wire(need[o], name)).append("; // qat4j-register ").append(d.name()).append(".acc[").append(o)
                    .append("]\n    assign ").append(name).append(" = ").append(sum(b[o], terms, x)).append(";\n");
            registers.add(new Register(d.name() + ".acc[" + o + "]", need[o], need[o]));
            out[o] = new Sig(name, need[o]);
        }
        return out;
    }

    private Sig[] conv(int n, ConvOp c) {
        Sig[] x = tensor(c.input());
        boolean one = c.kernel().length == 1;
        int[] in = model.tensor(c.input()).shape();
        TensorInfo ot = model.tensor(c.name());
        int ih = one ? 1 : in[1];
        int iw = one ? in[1] : in[2];
        int oh = one ? 1 : ot.shape()[1];
        int ow = one ? ot.shape()[1] : ot.shape()[2];
        int kh = one ? 1 : c.kernel()[0];
        int kw = c.kernel()[one ? 0 : 1];
        int sh = one ? 1 : c.stride()[0];
        int sw = c.stride()[one ? 0 : 1];
        int ph = one ? 0 : c.padding()[0];
        int pw = c.padding()[one ? 0 : 1];
        int dh = one ? 1 : c.dilation()[0];
        int dw = c.dilation()[one ? 0 : 1];
        int[] need = widths.channelBits(c.name());
        int[] w = c.weights();
        long[] b = c.bias();
        int taps = c.taps();
        Sig[] out = new Sig[c.outChannels() * oh * ow];
        for (int o = 0; o < c.outChannels(); o++) {
            String name = "a" + n + "_" + o;
            body.append("    ").append(wire(need[o], name)).append(" [0:").append(oh * ow - 1).append("]; // qat4j-register ")
                    .append(c.name()).append(".acc[").append(o).append("]\n");
            registers.add(new Register(c.name() + ".acc[" + o + "]", need[o], need[o]));
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    List<long[]> terms = new ArrayList<>();
                    for (int t = 0; t < taps; t++) {
                        int ci = t / (kh * kw);
                        int iy = oy * sh + ((t / kw) % kh) * dh - ph;
                        int ix = ox * sw + (t % kw) * dw - pw;
                        if (iy >= 0 && iy < ih && ix >= 0 && ix < iw) {
                            terms.add(new long[] {w[o * taps + t], (ci * ih + iy) * iw + ix});
                        }
                    }
                    int p = oy * ow + ox;
                    body.append("    assign ").append(name).append('[').append(p).append("] = ").append(sum(b[o], terms, x)).append(";\n");
                    out[o * oh * ow + p] = new Sig(name + "[" + p + "]", need[o]);
                }
            }
        }
        return out;
    }

    private Sig[] add(int n, AddOp a) {
        Sig[] x = tensor(a.a());
        Sig[] y = tensor(a.b());
        int[] need = widths.channelBits(a.name());
        Sig[] out = new Sig[x.length];
        for (int e = 0; e < x.length; e++) {
            String name = "a" + n + "_" + e;
            body.append("    ").append(wire(need[e], name)).append("; // qat4j-register ").append(a.name()).append(".acc[").append(e)
                    .append("]\n    assign ").append(name).append(" = ").append(x[e].ref()).append(" + ").append(y[e].ref()).append(";\n");
            registers.add(new Register(a.name() + ".acc[" + e + "]", need[e], need[e]));
            out[e] = new Sig(name, need[e]);
        }
        return out;
    }

    private Sig[] pool(int n, PoolOp p) {
        Sig[] x = tensor(p.input());
        TensorInfo in = model.tensor(p.input());
        TensorInfo ot = model.tensor(p.name());
        PoolGeometry g = new PoolGeometry(in.shape(), ot.shape(), p.window(), p.stride());
        int channels = ot.shape()[0];
        int per = ot.numel() / channels;
        Sig[] out = new Sig[ot.numel()];
        int[] need = p.kind() == PoolOp.Kind.AVG ? widths.channelBits(p.name()) : null;
        for (int c = 0; c < channels; c++) {
            String name = "a" + n + "_" + c;
            if (need != null) {
                body.append("    ").append(wire(need[c], name)).append(" [0:").append(per - 1).append("]; // qat4j-register ")
                        .append(p.name()).append(".acc[").append(c).append("]\n");
                registers.add(new Register(p.name() + ".acc[" + c + "]", need[c], need[c]));
            }
            for (int q = 0; q < per; q++) {
                int e = c * per + q;
                int[] idx = g.window(e);
                if (need != null) {
                    List<long[]> terms = new ArrayList<>();
                    for (int i : idx) {
                        terms.add(new long[] {1, i});
                    }
                    body.append("    assign ").append(name).append('[').append(q).append("] = ").append(sum(0, terms, x)).append(";\n");
                    out[e] = new Sig(name + "[" + q + "]", need[c]);
                } else {
                    Sig m = x[idx[0]];
                    for (int t = 1; t < idx.length; t++) {
                        Sig v = x[idx[t]];
                        int wd = Math.max(m.width(), v.width());
                        String mn = "m" + n + "_" + e + "_" + t;
                        body.append("    ").append(wire(wd, mn)).append(" = ").append(v.ref()).append(" > ").append(m.ref()).append(" ? ")
                                .append(v.ref()).append(" : ").append(m.ref()).append(";\n");
                        m = new Sig(mn, wd);
                    }
                    out[e] = m;
                }
            }
        }
        return out;
    }

    private Sig[] relu(int n, Sig[] x) {
        Sig[] out = new Sig[x.length];
        for (int e = 0; e < x.length; e++) {
            if (x[e].zero()) {
                out[e] = Sig.ZERO;
                continue;
            }
            String name = "r" + n + "_" + e;
            int w = x[e].width();
            body.append("    ").append(wire(w, name)).append(" = ").append(x[e].ref()).append('[').append(w - 1).append("] ? ")
                    .append(w).append("'sd0 : ").append(x[e].ref()).append(";\n");
            out[e] = new Sig(name, w);
        }
        return out;
    }

    private Sig[] requantize(int n, RequantizeFixedOp q) {
        Sig[] x = tensor(q.input());
        TensorInfo t = model.tensor(q.name());
        int[] inFrac = Granularity.expand(q.inputFrac(), t.shape(), q.name() + ".inputFrac");
        FixedFormat[] fmts = q.formats().expand(t.shape(), q.name());
        Sig[] out = new Sig[x.length];
        for (int e = 0; e < x.length; e++) {
            FixedFormat f = fmts[e];
            if (f.width() <= 0 || x[e].zero()) {
                out[e] = Sig.ZERO;
                continue;
            }
            out[e] = requantize("q" + n + "_" + e, x[e], inFrac[e] - f.f(), f, q.rounding(), q.overflow());
        }
        if (pipelineEvery > 0 && ++requantizers % pipelineEvery == 0) {
            latency++;
            StringBuilder regs = new StringBuilder();
            StringBuilder always = new StringBuilder("    always @(posedge clk) begin\n");
            for (int e = 0; e < out.length; e++) {
                if (out[e].zero()) {
                    continue;
                }
                String r = "p" + n + "_" + e;
                regs.append("    reg signed [").append(out[e].width() - 1).append(":0] ").append(r).append(";\n");
                always.append("        ").append(r).append(" <= ").append(out[e].ref()).append(";\n");
                out[e] = new Sig(r, out[e].width());
            }
            body.append(regs).append(always).append("    end\n");
        }
        return out;
    }

    /** {@code O(R(x · 2^-s))} of one element into format f (signed wire of f.width() bits, one more when unsigned). */
    private Sig requantize(String base, Sig x, int s, FixedFormat f, RoundingMode r, OverflowMode o) {
        int a = x.width();
        String rn = base + "_r";
        int rw;
        if (s > 0) {
            int ew = Math.max(a, s) + 1;
            String xe = base + "_x";
            body.append("    ").append(wire(ew, xe)).append(" = ").append(x.ref()).append(";\n");
            String top = xe + "[" + (s - 1) + "]";
            String low = s > 1 ? "(|" + xe + "[" + (s - 2) + ":0])" : "1'b0";
            String neg = xe + "[" + (ew - 1) + "]";
            String above = "(" + top + " & " + low + ")";
            String tie = "(" + top + " & ~" + low + ")";
            String zero = "(~(" + top + " | " + low + "))";
            String inc = switch (r) {
                case RND -> top;
                case RND_CONV -> "(" + above + " | (" + tie + " & " + xe + "[" + s + "]))";
                case TRN -> "1'b0";
                case TRN_ZERO -> "(" + neg + " & ~" + zero + ")";
                case RND_ZERO -> "(" + above + " | (" + tie + " & " + neg + "))";
                case RND_INF -> "(" + above + " | (" + tie + " & ~" + neg + "))";
                case RND_MIN_INF -> above;
            };
            rw = ew;
            body.append("    ").append(wire(rw, rn)).append(" = (").append(xe).append(" >>> ").append(s).append(") + $signed({1'b0, ")
                    .append(inc).append("});\n");
        } else if (s == 0) {
            rw = a;
            body.append("    ").append(wire(rw, rn)).append(" = ").append(x.ref()).append(";\n");
        } else {
            rw = a - s;
            body.append("    ").append(wire(rw, rn)).append(" = ").append(x.ref()).append(" <<< ").append(-s).append(";\n");
        }
        int b = f.width();
        int w = f.k() == 1 ? b : b + 1;
        String on = base;
        if (o == OverflowMode.WRAP) {
            String src = rn;
            if (rw < b) {
                src = base + "_w";
                body.append("    ").append(wire(b, src)).append(" = ").append(rn).append(";\n");
            }
            body.append("    ").append(wire(w, on)).append(" = $signed({").append(f.k() == 1 ? "" : "1'b0, ").append(src).append('[')
                    .append(b - 1).append(":0]});\n");
            return new Sig(on, w);
        }
        long lo = f.minMantissa(o);
        long hi = f.maxMantissa();
        long rmin = rw >= 64 ? Long.MIN_VALUE : -(1L << (rw - 1));
        long rmax = rw >= 64 ? Long.MAX_VALUE : (1L << (rw - 1)) - 1;
        String inRange = w <= rw ? "$signed(" + rn + "[" + (w - 1) + ":0])" : rn;
        String e = inRange;
        if (rmax > hi) {
            e = "(" + rn + " > " + lit(hi) + ") ? " + lit(hi) + " : " + e;
        }
        if (rmin < lo) {
            e = "(" + rn + " < " + lit(lo) + ") ? " + lit(lo) + " : (" + e + ")";
        }
        body.append("    ").append(wire(w, on)).append(" = ").append(e).append(";\n");
        return new Sig(on, w);
    }
}
