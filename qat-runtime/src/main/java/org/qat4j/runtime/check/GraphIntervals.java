package org.qat4j.runtime.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.PoolGeometry;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.SparqOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * The checker's interval arithmetic over the model graph, op by op in model order: every integer
 * tensor gets a range per element from quantizer output formats (with their overflow mode), ReLU,
 * max pooling, flatten and exact sums; accumulating ops (dense, conv, add, avgpool) yield their
 * recomputed facts. Float tensors have no range ({@code null}).
 */
final class GraphIntervals {
    private final IntegerModel model;
    private final CheckFindings findings;
    private final DotProductBounds dots;
    private final Map<String, long[][]> ranges = new HashMap<>();
    private final Map<String, String[]> quantizers = new LinkedHashMap<>();
    private final List<RecomputedLayer> layers = new ArrayList<>();

    GraphIntervals(IntegerModel model, CheckFindings findings) {
        this.model = model;
        this.findings = findings;
        this.dots = new DotProductBounds(findings);
    }

    /** Walks every op of the model. */
    void run() {
        for (ModelOp op : model.ops()) {
            try {
                RecomputedLayer l = analyze(op);
                if (l != null) {
                    layers.add(l);
                }
            } catch (ArithmeticException e) {
                findings.problem(CheckReport.Kind.FAILS, op.name(), -1, "a worst-case sum exceeds the 64-bit range");
                ranges.put(op.name(), null);
            }
        }
    }

    /** Recomputed facts of the accumulating ops, model order. */
    List<RecomputedLayer> layers() {
        return layers;
    }

    /** Per activation quantizer: op, rounding, overflow, min width, max width[, sparq placements]. */
    Map<String, String[]> quantizers() {
        return quantizers;
    }

    private RecomputedLayer analyze(ModelOp op) {
        TensorInfo out = model.tensor(op.name());
        int n = out.numel();
        if (op instanceof QuantizeFixedOp q) {
            FixedFormat[] f = q.formats().expand(out.shape(), op.name());
            ranges.put(op.name(), QuantizerRanges.of(f, q.overflow()));
            quantizers.put(
                    op.name(),
                    QuantizerRanges.facts(
                            op, f, q.rounding().name(), q.overflow().name()));
            return null;
        }
        if (op instanceof RequantizeFixedOp q) {
            FixedFormat[] f = q.formats().expand(out.shape(), op.name());
            ranges.put(op.name(), QuantizerRanges.of(f, q.overflow()));
            quantizers.put(
                    op.name(),
                    QuantizerRanges.facts(
                            op, f, q.rounding().name(), q.overflow().name()));
            return null;
        }
        if (op instanceof QuantizeScaledOp q) {
            long lo = q.signed() ? (q.narrow() ? 1 - (1L << (q.bits() - 1)) : -(1L << (q.bits() - 1))) : 0;
            long hi = q.signed() ? (1L << (q.bits() - 1)) - 1 : (1L << q.bits()) - 1;
            ranges.put(op.name(), filled(n, lo, hi));
            quantizers.put(op.name(), new String[] {
                op.opType(), "RND_CONV", "SAT", Integer.toString(q.bits()), Integer.toString(q.bits())
            });
            return null;
        }
        if (op instanceof DequantizeFixedOp || op instanceof DequantizeScaledOp) {
            ranges.put(op.name(), null);
            return null;
        }
        long[][] x = ranges.get(op.inputs().get(0));
        if (op instanceof ReluOp) {
            ranges.put(op.name(), x == null ? null : relu(x, n));
            return null;
        }
        if (op instanceof FlattenOp) {
            ranges.put(op.name(), x);
            return null;
        }
        if (op instanceof PoolOp p && p.kind() == PoolOp.Kind.FLOAT_AVG || op instanceof FloatAddOp) {
            ranges.put(op.name(), null);
            return null;
        }
        if (op instanceof PoolOp p) {
            return pool(p, x, out, n);
        }
        if (op instanceof SparqOp q) {
            ranges.put(op.name(), x == null ? null : SparqBounds.of(q, out.shape(), x, findings));
            quantizers.put(op.name(), new String[] {
                op.opType(),
                q.rounding() ? "RND" : "TRN",
                "SAT",
                Integer.toString(q.windowBits()),
                Integer.toString(q.pairs() ? q.inputBits() : q.windowBits()),
                java.util.Arrays.toString(q.placements())
            });
            return null;
        }
        if (op instanceof EmbeddingOp e) {
            EmbeddingBounds.Result r = EmbeddingBounds.of(e, x[0], x[1], findings);
            ranges.put(op.name(), r.outputRange());
            return r.layer();
        }
        if (op instanceof MultipointDenseOp m) {
            MultipointBounds.Result r = MultipointBounds.of(m, dots, x[0], x[1], findings);
            layers.add(r.points());
            ranges.put(op.name(), r.outputRange());
            return r.combination();
        }
        if (op instanceof AddOp a) {
            return add(a, x, ranges.get(a.b()), n);
        }
        if (op instanceof DenseOp d) {
            DotProductBounds.Result r = dots.layer(
                    op.name(),
                    op.opType(),
                    d.weightView(),
                    d.bias(),
                    d.inFeatures(),
                    1,
                    d.accumulatorBits(),
                    d.constraint(),
                    x[0],
                    x[1],
                    "element",
                    n,
                    1);
            ranges.put(op.name(), r.outputRange());
            return r.layer();
        }
        if (op instanceof ConvOp c) {
            long[][] hull = channelHull(c, x);
            DotProductBounds.Result r = dots.layer(
                    op.name(),
                    op.opType(),
                    c.weightView(),
                    c.bias(),
                    c.taps(),
                    c.taps() / c.inChannels(),
                    c.accumulatorBits(),
                    c.constraint(),
                    hull[0],
                    hull[1],
                    "channel",
                    n,
                    n / c.outChannels());
            ranges.put(op.name(), r.outputRange());
            return r.layer();
        }
        throw new IllegalStateException("unhandled op " + op.opType());
    }

    private static long[][] relu(long[][] x, int n) {
        long[][] r = new long[2][n];
        for (int e = 0; e < n; e++) {
            r[0][e] = x[0][e] < 0 ? 0 : x[0][e];
            r[1][e] = x[1][e] < 0 ? 0 : x[1][e];
        }
        return r;
    }

    /** Per input channel: the hull of its elements' ranges, widened to include 0 when the layer pads. */
    private static long[][] channelHull(ConvOp c, long[][] x) {
        int cin = c.inChannels();
        int per = x[0].length / cin;
        boolean padded = false;
        for (int p : c.padding()) {
            padded = padded || p != 0;
        }
        long[] lo = new long[cin];
        long[] hi = new long[cin];
        for (int ch = 0; ch < cin; ch++) {
            long l = x[0][ch * per];
            long h = x[1][ch * per];
            for (int e = ch * per + 1; e < (ch + 1) * per; e++) {
                l = Math.min(l, x[0][e]);
                h = Math.max(h, x[1][e]);
            }
            lo[ch] = padded ? Math.min(0, l) : l;
            hi[ch] = padded ? Math.max(0, h) : h;
        }
        return new long[][] {lo, hi};
    }

    private RecomputedLayer pool(PoolOp p, long[][] x, TensorInfo out, int n) {
        PoolGeometry g = new PoolGeometry(model.tensor(p.input()).shape(), out.shape(), p.window(), p.stride());
        if (p.kind() == PoolOp.Kind.MAX) {
            long[][] r = new long[2][n];
            for (int e = 0; e < n; e++) {
                long l = Long.MIN_VALUE;
                long h = Long.MIN_VALUE;
                for (int i : g.window(e)) {
                    l = Math.max(l, x[0][i]);
                    h = Math.max(h, x[1][i]);
                }
                r[0][e] = l;
                r[1][e] = h;
            }
            ranges.put(p.name(), r);
            return null;
        }
        int channels = out.shape()[0];
        int per = n / channels;
        long[][] r = new long[2][n];
        long[] neg = new long[channels];
        long[] pos = new long[channels];
        for (int e = 0; e < n; e++) {
            long l = 0;
            long h = 0;
            long pn = 0;
            long pp = 0;
            for (int i : g.window(e)) {
                l = Math.addExact(l, x[0][i]);
                h = Math.addExact(h, x[1][i]);
                pn = Math.addExact(pn, Math.min(0, x[0][i]));
                pp = Math.addExact(pp, Math.max(0, x[1][i]));
            }
            r[0][e] = l;
            r[1][e] = h;
            neg[e / per] = Math.min(neg[e / per], pn);
            pos[e / per] = Math.max(pos[e / per], pp);
        }
        ranges.put(p.name(), r);
        List<RecomputedLayer.Channel> ch = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            ch.add(new RecomputedLayer.Channel(
                    null, neg[c], pos[c], -1, -1, -1, RegisterWidths.fits(neg[c], pos[c], p.accumulatorBits())));
        }
        return new RecomputedLayer(p.name(), p.opType(), "derived", p.accumulatorBits(), "element", x[0], x[1], -1, ch);
    }

    private RecomputedLayer add(AddOp a, long[][] x, long[][] y, int n) {
        long[][] r = new long[2][n];
        List<RecomputedLayer.Channel> ch = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            r[0][e] = Math.addExact(x[0][e], y[0][e]);
            r[1][e] = Math.addExact(x[1][e], y[1][e]);
            long neg = Math.addExact(Math.min(0, x[0][e]), Math.min(0, y[0][e]));
            long pos = Math.addExact(Math.max(0, x[1][e]), Math.max(0, y[1][e]));
            ch.add(new RecomputedLayer.Channel(
                    null, neg, pos, -1, -1, -1, RegisterWidths.fits(neg, pos, a.accumulatorBits())));
        }
        ranges.put(a.name(), r);
        long[] inMin = new long[2 * n];
        long[] inMax = new long[2 * n];
        System.arraycopy(x[0], 0, inMin, 0, n);
        System.arraycopy(y[0], 0, inMin, n, n);
        System.arraycopy(x[1], 0, inMax, 0, n);
        System.arraycopy(y[1], 0, inMax, n, n);
        return new RecomputedLayer(
                a.name(), a.opType(), "derived", a.accumulatorBits(), "element", inMin, inMax, -1, ch);
    }

    private static long[][] filled(int n, long lo, long hi) {
        long[][] r = new long[2][n];
        java.util.Arrays.fill(r[0], lo);
        java.util.Arrays.fill(r[1], hi);
        return r;
    }
}
