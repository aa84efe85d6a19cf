package org.qat4j.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * The QCDQ form (the QuantizeLinear → Clip → DequantizeLinear pattern of Brevitas exports, which ONNX
 * Runtime and TensorRT-style compilers fuse into integer kernels) for models whose dense and conv
 * operands fit 8 bits, written so that it stays bit-exact:
 * <ul>
 *   <li>every MatMul/Conv input is {@code DequantizeLinear(QuantizeLinear(m, 1), 1)} of the integers m
 *       the runtime multiplies (int8, or uint8 when they are never negative): exact, because m is
 *       already an integer inside the type's range;</li>
 *   <li>weights are int8 initializers with per-output-channel power-of-two scales {@code 2^s_o}
 *       ({@code W = W' · 2^s_o}, s_o the channel's common trailing zeros, HGQ's aligned weights) on
 *       the output axis (1 for MatMul's {@code [K, O]}, 0 for Conv), zero points 0;</li>
 *   <li>the bias is int32 on the {@code s_x · s_w = 2^s_o} grid, so a fusing runtime adds it as an
 *       integer (ONNX Runtime 1.21's QGemm re-quantizes a float bias);</li>
 *   <li>A2Q/A2Q+ input quantizers are {@code QuantizeLinear(x, s_x)} itself (one float32 division,
 *       half to even, saturation: the runtime's {@code clamp(rint(x / s))}), a Clip for ranges narrower
 *       than the 8-bit type, and a DequantizeLinear of scale 1; the float32 post-scale
 *       {@code (float) acc · (s_x · s_c) + b} follows the exact accumulator as in the runtime.</li>
 * </ul>
 * Exactness: whether the runtime's MatMul dequantizes and sums in float32 or fuses into an int32
 * kernel and scales the sum by {@code 1 · 2^s_o}, the result is the integer accumulator, because the
 * certificate proves every partial sum (in any order) an integer below 2^24 in magnitude. Everything
 * else (requantizers, pooling, dequantizers) is the exact form's. Models where this proof is missing
 * are refused with the reason ({@link #refusal}).
 */
final class QcdqFormWriter {
    private QcdqFormWriter() {}

    /** Why {@code model} cannot be written in QCDQ form, or null when it can. */
    static String refusal(IntegerModel model, OverflowCertificate cert) {
        RangeAnalysis ra = RangeAnalysis.of(model);
        int layers = 0;
        for (ModelOp op : model.ops()) {
            if (op instanceof QuantizeScaledOp q && q.bits() > 8) {
                return "quantizer '" + q.name() + "' has " + q.bits() + " bits, more than 8";
            }
            int[] w;
            long[] b;
            int out;
            if (op instanceof DenseOp d) {
                w = d.weights();
                b = d.bias();
                out = d.outFeatures();
            } else if (op instanceof ConvOp c) {
                w = c.weights();
                b = c.bias();
                out = c.outChannels();
            } else {
                continue;
            }
            layers++;
            String in = op.inputs().get(0);
            long[][] r = ra.range(in);
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (int e = 0; e < r[0].length; e++) {
                lo = Math.min(lo, r[0][e]);
                hi = Math.max(hi, r[1][e]);
            }
            if (inputType(lo, hi) == null) {
                return "layer '" + op.name() + "': its inputs range over [" + lo + ", " + hi
                        + "], which fits neither int8 nor uint8";
            }
            int per = w.length / out;
            for (int o = 0; o < out; o++) {
                int s = channelShift(w, b, o, per);
                for (int t = 0; t < per; t++) {
                    int v = w[o * per + t] >> s;
                    if (v < -128 || v > 127) {
                        return "layer '" + op.name() + "' channel " + o + ": weight " + w[o * per + t] + " = " + v
                                + " · 2^" + s + " does not fit int8";
                    }
                }
            }
            LayerCertificate lc = cert.layer(op.name());
            for (ChannelCertificate c : lc.channels()) {
                long m = Math.max(-c.negativeSum(), c.positiveSum());
                if (m > (1L << 24)) {
                    return "layer '" + op.name() + "' channel " + c.channel()
                            + ": the certificate allows partial sums of magnitude " + m
                            + ", beyond 2^24 where float32 accumulation stops being exact";
                }
            }
        }
        return layers == 0 ? "the model has no dense or conv layer to write as QuantizeLinear/DequantizeLinear" : null;
    }

    /** int8 for ranges within [-128, 127], uint8 within [0, 255], else null. */
    static TensorProto.DataType inputType(long lo, long hi) {
        if (lo >= -128 && hi <= 127) {
            return TensorProto.DataType.INT8;
        }
        return lo >= 0 && hi <= 255 ? TensorProto.DataType.UINT8 : null;
    }

    /** The largest power of two dividing every weight and the bias of channel o (0 when none is even), at most 30. */
    static int channelShift(int[] w, long[] b, int o, int per) {
        long or = b[o];
        for (int t = 0; t < per; t++) {
            or |= w[o * per + t];
        }
        return or == 0 ? 0 : Math.min(30, Long.numberOfTrailingZeros(or));
    }

    /** {@code DequantizeLinear(QuantizeLinear(x, 1), 1)} of a float32 tensor of integers within the 8-bit type. */
    static String requantizeInput(OnnxGraph g, String hint, String x, long lo, long hi) {
        TensorProto.DataType t = inputType(lo, hi);
        String one = g.constFloat(hint + "/unitScale", new float[] {1f});
        String zp = g.constByte(hint + "/zeroPoint", t, new byte[] {0});
        String q = g.op("QuantizeLinear", hint + "/q", x, one, zp);
        return g.op("DequantizeLinear", hint + "/dq", q, one, zp);
    }

    /** The A2Q/A2Q+ input quantizer as QuantizeLinear(x, s) → Clip (narrower ranges) → DequantizeLinear(·, 1). */
    static String quantizeScaled(OnnxGraph g, QuantizeScaledOp q, String x) {
        String h = q.name();
        TensorProto.DataType t = q.signed() ? TensorProto.DataType.INT8 : TensorProto.DataType.UINT8;
        String zp = g.constByte(h + "/zeroPoint", t, new byte[] {0});
        String v = g.op("QuantizeLinear", h + "/q", x, g.constFloat(h + "/scale", new float[] {q.scale()}), zp);
        long typeLo = q.signed() ? -128 : 0;
        long typeHi = q.signed() ? 127 : 255;
        if (q.min() != typeLo || q.max() != typeHi) {
            v = g.op(
                    "Clip",
                    h + "/clip",
                    v,
                    g.constByte(h + "/lo", t, new byte[] {(byte) q.min()}),
                    g.constByte(h + "/hi", t, new byte[] {(byte) q.max()}));
        }
        return g.op("DequantizeLinear", h, v, g.constFloat(h + "/unitScale", new float[] {1f}), zp);
    }

    /** Int8 weights {@code W'} (layout as given) and per-channel scales {@code 2^s_o}; the int32 bias on the same grid. */
    record Weights(byte[] w, float[] scales, int[] bias, boolean hasBias) {}

    /**
     * Splits a layer's weights into int8 values and per-channel power-of-two scales.
     *
     * @param w weights in {@code [out][per]} order
     * @param transposed whether to store them as {@code [per][out]} (MatMul) instead
     */
    static Weights weights(int[] w, long[] b, int out, boolean transposed) {
        int per = w.length / out;
        byte[] q = new byte[w.length];
        float[] sc = new float[out];
        int[] bias = new int[out];
        boolean hasBias = false;
        for (int o = 0; o < out; o++) {
            int s = channelShift(w, b, o, per);
            sc[o] = Math.scalb(1f, s);
            bias[o] = Math.toIntExact(b[o] >> s);
            hasBias |= b[o] != 0;
            for (int t = 0; t < per; t++) {
                q[transposed ? t * out + o : o * per + t] = (byte) (w[o * per + t] >> s);
            }
        }
        return new Weights(q, sc, bias, hasBias);
    }

    /** {@code DequantizeLinear(W', 2^s, axis)} of the int8 weights. */
    static String dequantizedWeights(OnnxGraph g, String hint, Weights w, long[] dims, int axis) {
        String q = g.constByte(hint + "/weightsInt8", TensorProto.DataType.INT8, w.w(), dims);
        String s = g.constFloat(hint + "/weightScale", w.scales(), w.scales().length);
        String zp = g.constByte(
                hint + "/weightZeroPoint", TensorProto.DataType.INT8, new byte[w.scales().length], w.scales().length);
        return g.op("DequantizeLinear", hint + "/weights", q, s, zp, OnnxGraph.Attr.i("axis", axis));
    }

    /** {@code DequantizeLinear(bias_int32, 2^s, axis 0)}: the bias on the {@code s_x · s_w} grid. */
    static String dequantizedBias(OnnxGraph g, String hint, Weights w) {
        int n = w.bias().length;
        String q = g.constInt(hint + "/biasInt32", w.bias(), n);
        String s = g.constFloat(hint + "/biasScale", w.scales(), n);
        String zp = g.constInt(hint + "/biasZeroPoint", new int[n], n);
        return g.op("DequantizeLinear", hint + "/bias", q, s, zp, OnnxGraph.Attr.i("axis", 0));
    }
}
