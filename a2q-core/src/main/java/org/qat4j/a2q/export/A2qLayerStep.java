package org.qat4j.a2q.export;

import java.util.Arrays;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QConv1d;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.core.nn.ConvGeometry;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeScaledOp;

/**
 * An A2Q/A2Q+ layer in the integer model (A2Q arXiv 2308.13504 §3, A2Q+ arXiv 2401.10432): its input
 * quantizer when it owns one ({@code quantize_scaled}), {@code dense}/{@code conv} with the layer's
 * integer weights q as trained (never re-rounded), its P and A2Q/A2Q+ constraint (unconstrained layers
 * get the minimal width derived from their input range), then {@code dequantize_scaled}:
 * {@code acc · (s_x · s_c) + b} in float32, the order of the block's forward.
 */
final class A2qLayerStep {
    private A2qLayerStep() {}

    static ExportTensor<A2qValues> export(
            ExportStep<A2qValues> step, AbstractQLayer layer, ExportTensor<A2qValues> in) {
        String at = step.at();
        ExportTensor<A2qValues> cur = in;
        if (layer.ownsInputQuantizer()
                && cur.state().hoisted() != null
                && cur.state().hoisted() == layer.getInputQuantizer()) {
            cur = cur.with(cur.name(), A2qValues.of(cur.state().quantizer()));
        } else if (layer.ownsInputQuantizer()) {
            A2qExporter.requireFloat(step, cur, layer);
            cur = A2qExporter.quantize(step, cur, step.name("_inquant"), layer.getInputQuantizer());
        }
        if (cur.state().quantizer() == null || cur.state().quantizer() != layer.getInputQuantizer()) {
            throw new IllegalArgumentException(
                    "block " + at + " (" + layer.getClass().getSimpleName() + ") does not read the"
                            + " integers of the quantizer directly before it: an integer export needs a quantized input");
        }
        if (layer.getVariant() == Variant.A2Q_PLUS) {
            step.method("A2Q+");
        }
        QuantizedWeights qw = layer.quantizedWeights();
        int[] w = flatten(qw.intWeights());
        A2qConstraint con = constraint(layer, qw);
        int bits = con == null ? 64 : layer.getAccumulatorBits();
        String acc = step.name("_acc");
        int[] shape = cur.shape();
        int[] outShape;
        if (layer instanceof QLinear) {
            if (shape.length != 1) {
                throw new IllegalArgumentException("block " + at + " (QLinear) gets a per-sample input of shape "
                        + Arrays.toString(shape) + "; export supports rank-1 inputs to QLinear");
            }
            int out = layer.getOutChannels();
            step.add(new DenseOp(acc, cur.name(), shape[0], out, w, null, bits, con));
            outShape = new int[] {out};
        } else if (layer instanceof QConv1d || layer instanceof QConv2d) {
            ConvGeometry g = layer instanceof QConv1d c1 ? c1.geometry() : ((QConv2d) layer).geometry();
            if (g.groups() != 1) {
                throw new IllegalArgumentException("block " + at + ": grouped convolution (groups = " + g.groups()
                        + ") is not supported by the integer format");
            }
            step.add(new ConvOp(
                    acc,
                    cur.name(),
                    shape[0],
                    layer.getOutChannels(),
                    A2qPoolStep.ints(g.kernel()),
                    A2qPoolStep.ints(g.stride()),
                    A2qPoolStep.ints(g.padding()),
                    A2qPoolStep.ints(g.dilation()),
                    w,
                    null,
                    bits,
                    con));
            outShape = step.shapeOf(acc);
        } else {
            throw new IllegalArgumentException(
                    "block " + at + ": unsupported layer " + layer.getClass().getName());
        }
        String out = step.name("_out");
        step.add(new DequantizeScaledOp(out, acc, layer.getInputScale(), qw.scale(), layer.getBias()));
        String p = step.name("");
        step.settings().putIfAbsent(p + ".P", Integer.toString(layer.getAccumulatorBits()));
        step.settings().putIfAbsent(p + ".M", Integer.toString(layer.getWeightBits()));
        step.settings().putIfAbsent(p + ".N", Integer.toString(layer.getInputBits()));
        step.settings().putIfAbsent(p + ".variant", layer.getVariant().name());
        return new ExportTensor<>(out, outShape, A2qValues.FLOAT);
    }

    private static A2qConstraint constraint(AbstractQLayer layer, QuantizedWeights qw) {
        return switch (layer.getVariant()) {
            case A2Q -> new A2qConstraint(A2qConstraint.Variant.A2Q, qw.inputBits(), qw.inputSigned(), qw.weightBits());
            case A2Q_PLUS ->
                new A2qConstraint(A2qConstraint.Variant.A2Q_PLUS, qw.inputBits(), qw.inputSigned(), qw.weightBits());
            default -> null;
        };
    }

    private static int[] flatten(long[][] w) {
        int k = w.length == 0 ? 0 : w[0].length;
        int[] out = new int[w.length * k];
        for (int c = 0; c < w.length; c++) {
            for (int j = 0; j < k; j++) {
                out[c * k + j] = Math.toIntExact(w[c][j]);
            }
        }
        return out;
    }
}
