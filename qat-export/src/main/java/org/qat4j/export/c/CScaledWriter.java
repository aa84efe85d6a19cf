package org.qat4j.export.c;

import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * The float-scale ops of A2Q/A2Q+ exports (arXiv 2308.13504, 2401.10432): {@code quantize_scaled}
 * ({@code clamp(rint(x / s))} in float32, NaN refused) and {@code dequantize_scaled} (per-channel
 * {@code x · (s_in · s_c) + b} in float32), each one IEEE operation in the runtime's order.
 */
final class CScaledWriter {
    private CScaledWriter() {}

    static void quantize(COpWriter w, String fn, String params, QuantizeScaledOp q, TensorInfo y) {
        w.elementLoop(fn, params, y);
        w.out()
                .append("        float q = x[e] / ")
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
                .append(" : (int64_t) r);\n");
        w.endElementLoop();
    }

    static void dequantize(COpWriter w, String fn, String params, DequantizeScaledOp d, TensorInfo y) {
        int channels = y.shape().length == 0 ? 1 : y.shape()[0];
        float[] sc = d.channelScale();
        float[] bias = d.bias();
        float[] m = new float[channels];
        float[] bb = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = d.inputScale() * sc[sc.length == 1 ? 0 : c];
            bb[c] = bias == null ? 0f : bias[bias.length == 1 ? 0 : c];
        }
        StringBuilder out = w.out();
        CArrays.floatTable(out, fn + "_m", m);
        if (bias != null) {
            CArrays.floatTable(out, fn + "_b", bb);
        }
        int per = y.numel() / channels;
        w.elementLoop(fn, params, y);
        out.append("        float v = (float) x[e] * ")
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
        out.append("        y[e] = v;\n");
        w.endElementLoop();
    }
}
