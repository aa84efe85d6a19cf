package org.qat4j.export.verilog;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.Register;
import org.qat4j.runtime.fixed.FixedFormat;
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
    private final java.util.Map<String, String> flippedWires = new java.util.HashMap<>();
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

    static String wire(int width, String name) {
        return "wire signed [" + (width - 1) + ":0] " + name;
    }

    /** The signed {@code width}-bit literal of v (two's complement bits in hex; v must fit). */
    static String lit(long v, int width) {
        long masked = width >= 64 ? v : v & ((1L << width) - 1);
        return width + "'sh" + Long.toHexString(masked);
    }

    /** {@code s} sign-extended to {@code w ≥ s.width()} bits, written so every operand has the width it is used at. */
    static String ext(Sig s, int w) {
        if (s.zero()) {
            return w + "'sd0";
        }
        return s.width() == w
                ? s.ref()
                : "$signed({{" + (w - s.width()) + "{" + s.ref() + "[" + (s.width() - 1) + "]}}, " + s.ref() + "})";
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
        body.append("\n    // op ")
                .append(n)
                .append(": ")
                .append(op.opType())
                .append(" '")
                .append(op.name())
                .append("'\n");
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
                            ? ": it rescales with float32 scales (A2Q/A2Q+); Verilog is generated for fixed-point (HGQ) models only"
                            : ""));
        }
        tensors.put(op.name(), out);
    }

    /** {@code bias + Σ w·x} modulo 2^P as a P-bit unsigned expression ({@link ConstantSum}). */
    private String sum(int p, long bias, List<long[]> weightIndex, Sig[] x) {
        ConstantSum s = new ConstantSum(p, bias, this::flipped);
        for (long[] wi : weightIndex) {
            s.add(wi[0], x[(int) wi[1]]);
        }
        return s.expression();
    }

    /** The wire holding a signed signal's bits with its sign bit inverted (declared on first use). */
    private String flipped(Sig s) {
        return flippedWires.computeIfAbsent(s.ref(), ref -> {
            String name = "u_" + ref.replace('[', '_').replace("]", "");
            int n = s.width();
            body.append("    wire [")
                    .append(n - 1)
                    .append(":0] ")
                    .append(name)
                    .append(" = {~")
                    .append(ref)
                    .append('[')
                    .append(n - 1)
                    .append(']')
                    .append(n > 1 ? ", " + ref + "[" + (n - 2) + ":0]" : "")
                    .append("};\n");
            return name;
        });
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
            String expr = sum(need[o], b[o], terms, x);
            body.append("    ")
                    .append(wire(need[o], name))
                    .append("; // qat4j-register ")
                    .append(d.name())
                    .append(".acc[")
                    .append(o)
                    .append("]\n    assign ")
                    .append(name)
                    .append(" = ")
                    .append(expr)
                    .append(";\n");
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
            body.append("    ")
                    .append(wire(need[o], name))
                    .append(" [0:")
                    .append(oh * ow - 1)
                    .append("]; // qat4j-register ")
                    .append(c.name())
                    .append(".acc[")
                    .append(o)
                    .append("]\n");
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
                    String expr = sum(need[o], b[o], terms, x);
                    body.append("    assign ")
                            .append(name)
                            .append('[')
                            .append(p)
                            .append("] = ")
                            .append(expr)
                            .append(";\n");
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
            String expr = new ConstantSum(need[e], 0, this::flipped)
                    .add(1, x[e])
                    .add(1, y[e])
                    .expression();
            body.append("    ")
                    .append(wire(need[e], name))
                    .append("; // qat4j-register ")
                    .append(a.name())
                    .append(".acc[")
                    .append(e)
                    .append("]\n    assign ")
                    .append(name)
                    .append(" = ")
                    .append(expr)
                    .append(";\n");
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
                body.append("    ")
                        .append(wire(need[c], name))
                        .append(" [0:")
                        .append(per - 1)
                        .append("]; // qat4j-register ")
                        .append(p.name())
                        .append(".acc[")
                        .append(c)
                        .append("]\n");
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
                    String expr = sum(need[c], 0, terms, x);
                    body.append("    assign ")
                            .append(name)
                            .append('[')
                            .append(q)
                            .append("] = ")
                            .append(expr)
                            .append(";\n");
                    out[e] = new Sig(name + "[" + q + "]", need[c]);
                } else {
                    Sig m = x[idx[0]];
                    for (int t = 1; t < idx.length; t++) {
                        Sig v = x[idx[t]];
                        int wd = Math.max(m.width(), v.width());
                        String mn = "m" + n + "_" + e + "_" + t;
                        body.append("    ")
                                .append(wire(wd, mn))
                                .append(" = ")
                                .append(ext(v, wd))
                                .append(" > ")
                                .append(ext(m, wd))
                                .append(" ? ")
                                .append(ext(v, wd))
                                .append(" : ")
                                .append(ext(m, wd))
                                .append(";\n");
                        m = new Sig(mn, wd, m.nonNegative() && v.nonNegative());
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
            // the sign bit is a literal 0, so sums that read every bit of a non-negative signal pay nothing for it
            body.append("    ")
                    .append(wire(w, name))
                    .append(" = ")
                    .append(
                            w == 1
                                    ? "1'sb0"
                                    : "$signed({1'b0, " + x[e].ref() + "[" + (w - 2) + ":0] & {" + (w - 1) + "{~"
                                            + x[e].ref() + "[" + (w - 1) + "]}}})")
                    .append(";\n");
            out[e] = new Sig(name, w, true);
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
            out[e] = Requantizer.write(body, "q" + n + "_" + e, x[e], inFrac[e] - f.f(), f, q.rounding(), q.overflow());
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
                regs.append("    reg signed [")
                        .append(out[e].width() - 1)
                        .append(":0] ")
                        .append(r)
                        .append(";\n");
                always.append("        ")
                        .append(r)
                        .append(" <= ")
                        .append(out[e].ref())
                        .append(";\n");
                out[e] = new Sig(r, out[e].width(), out[e].nonNegative());
            }
            body.append(regs).append(always).append("    end\n");
        }
        return out;
    }
}
