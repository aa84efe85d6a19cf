package org.qat4j.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.Map;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.Granularity;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.RangeAnalysis;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TensorInfo;
import org.qat4j.runtime.model.TensorKind;

/**
 * Writes the ops of an integer model as ONNX nodes that compute exactly what {@code IntegerRuntime}
 * computes. Integer tensors are carried as exact float values: float32 where the tensor's range and,
 * for accumulating ops, every partial sum stated by the overflow certificate stay within 2^24, float64
 * (exact below 2^53) elsewhere. Quantizers are {@link ExactQuantizerNodes}; dense layers are MatMul
 * plus bias, convolutions Conv (float32) or gathered patches and MatMul (float64); the float32 steps of
 * A2Q/A2Q+ ({@code quantize_scaled}, {@code dequantize_scaled}, {@code avgpool_float}) are the same IEEE
 * operations in the runtime's order. Integer zeros are made +0 before they become float outputs, since
 * the runtime's integers have no negative zero.
 */
final class ExactFormWriter {
    /** An ONNX tensor carrying a model tensor: {@code type} null for a real float32 tensor. */
    record Value(String name, NumType type) {}

    private final OnnxGraph g;
    private final IntegerModel model;
    private final RangeAnalysis ranges;
    private final OverflowCertificate certificate;
    private final Map<String, Value> values = new HashMap<>();
    private final ConvNodes conv;
    private final boolean qcdq;

    /** A writer of the exact form, or of the QCDQ form ({@link QcdqFormWriter}) for dense, conv and scaled quantizers. */
    ExactFormWriter(OnnxGraph g, IntegerModel model, OverflowCertificate certificate, OnnxForm form) {
        this.g = g;
        this.qcdq = form == OnnxForm.QCDQ;
        this.model = model;
        this.ranges = RangeAnalysis.of(model);
        this.certificate = certificate;
        this.conv = new ConvNodes(g);
    }

    /** Emits every op; returns the ONNX name of the model's output value (float32, or float of an integer tensor). */
    Value writeOps(String input) {
        values.put(model.inputName(), new Value(input, null));
        for (ModelOp op : model.ops()) {
            values.put(op.name(), write(op));
        }
        return values.get(model.outputName());
    }

    private Value write(ModelOp op) {
        TensorInfo out = model.tensor(op.name());
        String h = op.name();
        if (op instanceof QuantizeFixedOp q) {
            String x = g.op("Cast", h + "/x64", in(q.input()).name(), castTo(NumType.F64));
            String y = g.op(
                    "Mul", h + "/scaled", x, powers(h + "/pow2f", q.formats().f(), out.shape(), 1));
            String m = ExactQuantizerNodes.quantize(
                    g, h, y, q.formats().expand(out.shape(), h), out.shape(), q.rounding(), q.overflow());
            return narrow(op, m, NumType.F64);
        }
        if (op instanceof RequantizeFixedOp q) {
            int[] shift = new int[Math.max(q.inputFrac().length, q.formats().length())];
            int[] inFrac = Granularity.expand(q.inputFrac(), out.shape(), h + ".inputFrac");
            int[] f = Granularity.expand(q.formats().f(), out.shape(), h + ".f");
            shift = new int[f.length];
            for (int e = 0; e < f.length; e++) {
                shift[e] = f[e] - inFrac[e];
            }
            String y =
                    g.op("Mul", h + "/scaled", as(q.input(), NumType.F64), powers(h + "/pow2", shift, out.shape(), 1));
            String m = ExactQuantizerNodes.quantize(
                    g, h, y, q.formats().expand(out.shape(), h), out.shape(), q.rounding(), q.overflow());
            return narrow(op, m, NumType.F64);
        }
        if (op instanceof QuantizeScaledOp q) {
            if (qcdq) {
                return new Value(
                        QcdqFormWriter.quantizeScaled(g, q, in(q.input()).name()), NumType.F32);
            }
            return quantizeScaled(q);
        }
        if (op instanceof DequantizeFixedOp d) {
            int[] neg = d.frac().clone();
            String v = g.op(
                    "Mul",
                    h + "/value",
                    canonicalZero(h, as(d.input(), NumType.F64), NumType.F64),
                    powers(h + "/pow2", neg, out.shape(), -1));
            return new Value(g.op("Cast", h + "/float", v, castTo(NumType.F32)), null);
        }
        if (op instanceof DequantizeScaledOp d) {
            return dequantizeScaled(d, out);
        }
        if (qcdq && (op instanceof DenseOp || op instanceof ConvOp)) {
            return qcdqLayer(op, out);
        }
        if (op instanceof DenseOp d) {
            NumType t = accumulatorType(op, d.input(), d.weights(), d.bias());
            String w = g.constReal(
                    h + "/weightsT",
                    t,
                    transpose(d.weights(), d.outFeatures(), d.inFeatures()),
                    d.inFeatures(),
                    d.outFeatures());
            String acc = g.op("MatMul", h + "/matmul", as(d.input(), t), w);
            if (hasBias(d.bias())) {
                acc = g.op("Add", h + "/bias", acc, g.constReal(h + "/b", t, toDouble(d.bias()), d.outFeatures()));
            }
            return new Value(acc, t);
        }
        if (op instanceof ConvOp c) {
            NumType t = accumulatorType(op, c.input(), c.weights(), c.bias());
            return new Value(
                    conv.conv(c, as(c.input(), t), t, model.tensor(c.input()).shape(), out.shape()), t);
        }
        if (op instanceof AddOp a) {
            NumType t = accumulatorType(op, a.a(), new int[0], new long[0])
                    .max(in(a.b()).type());
            return new Value(g.op("Add", h, as(a.a(), t), as(a.b(), t)), t);
        }
        if (op instanceof FloatAddOp a) {
            // one IEEE float32 addition per element, as the runtime's add_float
            return new Value(g.op("Add", h, in(a.a()).name(), in(a.b()).name()), null);
        }
        if (op instanceof ReluOp r) {
            Value x = in(r.input());
            if (x.type() != null) {
                return new Value(g.op("Relu", h, x.name()), x.type());
            }
            // torch.relu and the runtime give +0 for every non-positive input
            String zero = g.scalar(h + "/zero", NumType.F32, 0.0);
            return new Value(g.op("Where", h, g.op("Greater", h + "/positive", x.name(), zero), x.name(), zero), null);
        }
        if (op instanceof FlattenOp f) {
            Value x = in(f.input());
            return new Value(g.op("Flatten", h, x.name(), OnnxGraph.Attr.i("axis", 1)), x.type());
        }
        if (op instanceof PoolOp p) {
            return pool(p, out);
        }
        if (op instanceof EmbeddingOp e) {
            return embedding(e);
        }
        throw new OnnxExportException(op.name() + ": op " + op.opType() + " has no ONNX form");
    }

    private Value qcdqLayer(ModelOp op, TensorInfo out) {
        String h = op.name();
        String input = op.inputs().get(0);
        long[][] r = ranges.range(input);
        long lo = java.util.Arrays.stream(r[0]).min().orElseThrow();
        long hi = java.util.Arrays.stream(r[1]).max().orElseThrow();
        String x = QcdqFormWriter.requantizeInput(g, h, as(input, NumType.F32), lo, hi);
        String acc;
        QcdqFormWriter.Weights w;
        if (op instanceof DenseOp d) {
            w = QcdqFormWriter.weights(d.weights(), d.bias(), d.outFeatures(), true);
            acc = g.op(
                    "MatMul",
                    h + "/matmul",
                    x,
                    QcdqFormWriter.dequantizedWeights(g, h, w, new long[] {d.inFeatures(), d.outFeatures()}, 1));
            if (w.hasBias()) {
                acc = g.op("Add", h + "/plusBias", acc, QcdqFormWriter.dequantizedBias(g, h, w));
            }
        } else {
            ConvOp c = (ConvOp) op;
            int rank = c.kernel().length;
            w = QcdqFormWriter.weights(c.weights(), c.bias(), c.outChannels(), false);
            long[] dims = new long[rank + 2];
            dims[0] = c.outChannels();
            dims[1] = c.inChannels();
            int[] pads = new int[2 * rank];
            for (int a = 0; a < rank; a++) {
                dims[a + 2] = c.kernel()[a];
                pads[a] = c.padding()[a];
                pads[a + rank] = c.padding()[a];
            }
            acc = g.op(
                    "Conv",
                    h,
                    new String[] {
                        x, QcdqFormWriter.dequantizedWeights(g, h, w, dims, 0), QcdqFormWriter.dequantizedBias(g, h, w)
                    },
                    OnnxGraph.Attr.ints("kernel_shape", c.kernel()),
                    OnnxGraph.Attr.ints("strides", c.stride()),
                    OnnxGraph.Attr.ints("pads", pads),
                    OnnxGraph.Attr.ints("dilations", c.dilation()),
                    OnnxGraph.Attr.i("group", 1));
        }
        return new Value(acc, NumType.F32);
    }

    /**
     * {@code y_d = Σ_{l : 0 ≤ idx_l < R} v[idx_l][d]}: the decoded table with an appended zero row R,
     * indices outside {@code [0, R)} mapped to R, Gather, and a sum over positions (exact in any order
     * within the certificate's per-column bounds).
     */
    private Value embedding(EmbeddingOp e) {
        String h = e.name();
        long[] v = e.decoded();
        long bound = 0;
        for (long x : v) {
            bound = Math.max(bound, abs(x));
        }
        NumType tableType = NumType.forBound(bound);
        if (tableType == null) {
            throw new OnnxExportException(
                    h + ": table values reach " + bound + " in magnitude, beyond 2^53 where float64 stops being exact");
        }
        NumType t = accumulatorType(e, e.input(), new int[0], new long[0]).max(tableType);
        double[] table = new double[v.length + e.dim()];
        for (int i = 0; i < v.length; i++) {
            table[i] = v[i];
        }
        Value idx = in(e.input());
        String zero = g.scalar(h + "/zero", idx.type(), 0.0);
        String rows = g.scalar(h + "/rows", idx.type(), e.rows());
        String valid = g.op(
                "And",
                h + "/valid",
                g.op("GreaterOrEqual", h + "/nonNegative", idx.name(), zero),
                g.op("Less", h + "/belowRows", idx.name(), rows));
        String row = g.op(
                "Cast",
                h + "/row",
                g.op("Where", h + "/padded", valid, idx.name(), rows),
                OnnxGraph.Attr.i("to", TensorProto.DataType.INT64.getNumber()));
        String vectors = g.op(
                "Gather",
                h + "/rows",
                g.constReal(h + "/table", t, table, e.rows() + 1, e.dim()),
                row,
                OnnxGraph.Attr.i("axis", 0));
        String sum = g.op(
                "ReduceSum",
                h,
                vectors,
                g.constLong(h + "/positionsAxis", new long[] {1}, 1),
                OnnxGraph.Attr.i("keepdims", 0));
        return new Value(sum, t);
    }

    private Value quantizeScaled(QuantizeScaledOp q) {
        String h = q.name();
        // one float32 division and half-to-even rounding: exactly the runtime's rint(x / s)
        String y = g.op(
                "Round",
                h + "/rint",
                g.op("Div", h + "/divided", in(q.input()).name(), g.constFloat(h + "/scale", new float[] {q.scale()})));
        NumType t = NumType.forBound(Math.max(Math.abs(q.min()), Math.abs(q.max())));
        if (t == NumType.F32) {
            String lo = g.scalar(h + "/lo", NumType.F32, q.min());
            String hi = g.scalar(h + "/hi", NumType.F32, q.max());
            return new Value(g.op("Clip", h, y, lo, hi), NumType.F32);
        }
        String y64 = g.op("Cast", h + "/rint64", y, castTo(NumType.F64));
        String lo = g.scalar(h + "/lo", NumType.F64, q.min());
        String hi = g.scalar(h + "/hi", NumType.F64, q.max());
        return new Value(g.op("Max", h, g.op("Min", h + "/hi", y64, hi), lo), NumType.F64);
    }

    private Value dequantizeScaled(DequantizeScaledOp d, TensorInfo out) {
        String h = d.name();
        int[] s = out.shape();
        int channels = s.length == 0 ? 1 : s[0];
        float[] sc = d.channelScale();
        float[] m = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = d.inputScale() * sc[sc.length == 1 ? 0 : c]; // the runtime's float32 product, bit for bit
        }
        Value acc = in(d.input());
        // (float) acc: the exact integer rounded once to float32, as Java's long-to-float conversion
        String a = canonicalZero(h, acc.name(), acc.type());
        if (acc.type() == NumType.F64) {
            a = g.op("Cast", h + "/acc32", a, castTo(NumType.F32));
        }
        String y = g.op("Mul", h + "/scaled", a, channelConst(h + "/multiplier", m, s));
        float[] bias = d.bias();
        if (bias != null) {
            float[] b = new float[channels];
            for (int c = 0; c < channels; c++) {
                b[c] = bias[bias.length == 1 ? 0 : c];
            }
            y = g.op("Add", h + "/bias", y, channelConst(h + "/b", b, s));
        }
        return new Value(y, null);
    }

    private Value pool(PoolOp p, TensorInfo out) {
        String h = p.name();
        Value x = in(p.input());
        OnnxGraph.Attr k = OnnxGraph.Attr.ints("kernel_shape", p.window());
        OnnxGraph.Attr st = OnnxGraph.Attr.ints("strides", p.stride());
        switch (p.kind()) {
            case MAX:
                return new Value(g.op("MaxPool", h, x.name(), k, st), x.type());
            case AVG: {
                NumType t = accumulatorType(p, p.input(), new int[0], new long[0]);
                if (t == NumType.F64) {
                    return new Value(
                            conv.windowSum(
                                    p, as(p.input(), t), model.tensor(p.input()).shape(), out.shape()),
                            t);
                }
                // the mean of a power-of-two window times its size is the exact window sum
                String mean = g.op("AveragePool", h + "/mean", as(p.input(), t), k, st);
                return new Value(g.op("Mul", h, mean, g.scalar(h + "/n", t, p.windowSize())), t);
            }
            default:
                return new Value(
                        conv.floatAveragePool(
                                p, x.name(), model.tensor(p.input()).shape(), out.shape()),
                        null);
        }
    }

    /** The narrowest exact type for an op's output, from its range; refuses ranges beyond 2^53. */
    private Value narrow(ModelOp op, String v, NumType current) {
        NumType t = typeForRange(op.name());
        if (t != current) {
            v = g.op("Cast", op.name() + "/narrow", v, castTo(t));
        }
        return new Value(v, t);
    }

    private NumType typeForRange(String tensor) {
        long[][] r = ranges.range(tensor);
        long bound = 0;
        for (int e = 0; e < r[0].length; e++) {
            bound = Math.max(bound, Math.max(abs(r[0][e]), abs(r[1][e])));
        }
        NumType t = NumType.forBound(bound);
        if (t == null) {
            throw new OnnxExportException(
                    tensor + ": values reach " + bound + " in magnitude, beyond 2^53 where float64 stops being exact");
        }
        return t;
    }

    /**
     * Float32 when every partial sum the certificate states for the layer, every weight and bias
     * and the input fit 2^24; float64 below 2^53; refused beyond.
     */
    private NumType accumulatorType(ModelOp op, String input, int[] weights, long[] bias) {
        long bound = 0;
        LayerCertificate lc = certificate.layer(op.name());
        for (ChannelCertificate c : lc.channels()) {
            bound = Math.max(bound, Math.max(abs(c.negativeSum()), abs(c.positiveSum())));
        }
        for (int w : weights) {
            bound = Math.max(bound, abs(w));
        }
        for (long b : bias) {
            bound = Math.max(bound, abs(b));
        }
        NumType t = NumType.forBound(bound);
        if (t == null) {
            throw new OnnxExportException(op.name() + ": the certificate allows partial sums of magnitude " + bound
                    + ", beyond 2^53 where float64 stops being exact");
        }
        return t.max(in(input).type());
    }

    private static long abs(long v) {
        return v == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(v);
    }

    private Value in(String tensor) {
        return values.get(tensor);
    }

    /** The tensor in type {@code t} (a Cast when it is carried in another type; widening is exact). */
    private String as(String tensor, NumType t) {
        Value v = in(tensor);
        if (v.type() == null || model.tensor(tensor).kind() != TensorKind.INT) {
            throw new IllegalStateException(tensor + " is not an integer tensor");
        }
        return v.type() == t ? v.name() : g.op("Cast", tensor + "/as_" + t, v.name(), castTo(t));
    }

    /** {@code v == 0 ? +0 : v}: integer zeros reach float outputs as +0, as the runtime's longs do. */
    private String canonicalZero(String hint, String v, NumType t) {
        String zero = g.scalar(hint + "/zero", t, 0.0);
        return g.op("Where", hint + "/plusZero", g.op("Equal", hint + "/isZero", v, zero), zero, v);
    }

    static OnnxGraph.Attr castTo(NumType t) {
        return OnnxGraph.Attr.i("to", t.onnx.getNumber());
    }

    /** Constant {@code 2^(sign · e)} per tensor, channel or element as float64 of the per-sample shape. */
    private String powers(String hint, int[] exps, int[] shape, int sign) {
        int[] per = Granularity.expand(exps, shape, hint);
        double[] v = new double[per.length];
        for (int e = 0; e < v.length; e++) {
            v[e] = Math.scalb(1.0, sign * per[e]);
        }
        return new ExactQuantizerNodes.Consts(g, hint, shape).of("v", v);
    }

    /** Float32 per-channel constant broadcasting over {@code [N, C, rest...]}: shape {@code [C, 1, ...]}. */
    private String channelConst(String hint, float[] v, int[] shape) {
        long[] dims = new long[Math.max(shape.length, 1)];
        java.util.Arrays.fill(dims, 1);
        dims[0] = v.length;
        return g.constFloat(hint, v, dims);
    }

    static double[] transpose(int[] w, int rows, int cols) {
        double[] t = new double[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }

    static double[] toDouble(long[] v) {
        double[] d = new double[v.length];
        for (int t = 0; t < v.length; t++) {
            d[t] = v[t];
        }
        return d;
    }

    static boolean hasBias(long[] b) {
        for (long v : b) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    /** ONNX element type of the model output as written by {@link OnnxExporter}. */
    static TensorProto.DataType outputType(IntegerModel m) {
        return m.tensor(m.outputName()).kind() == TensorKind.FLOAT
                ? TensorProto.DataType.FLOAT
                : TensorProto.DataType.INT64;
    }
}
