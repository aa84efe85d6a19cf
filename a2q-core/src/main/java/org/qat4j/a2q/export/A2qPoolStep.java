package org.qat4j.a2q.export;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QuantizedActivation;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.core.nn.QatPool;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.PoolOp;

/**
 * {@code QatPool} in an A2Q network. Max pooling pools the integers: {@code Q(x) = clamp(rint(x / s))}
 * is monotone non-decreasing, so {@code max_j Q(x_j) = Q(max_j x_j)} and {@code max_j (q_j · s) =
 * (max_j q_j) · s}; a max pool on float values is exported after the next block's quantizer. Average
 * pooling repeats the block's float32 arithmetic: {@code dequantize_scaled} ({@code (float) q * s}, the
 * quantizer block's own product), then {@code avgpool_float} (PyTorch's sum in window order, one division).
 */
final class A2qPoolStep {
    private A2qPoolStep() {}

    static ExportTensor<A2qValues> export(ExportStep<A2qValues> step, QatPool pool, ExportTensor<A2qValues> in) {
        for (long pad : pool.getPadding().getShape()) {
            if (pad != 0) {
                throw new IllegalArgumentException("block " + step.at() + " (QatPool) pads by " + pool.getPadding()
                        + "; the integer format pools without padding");
            }
        }
        ExportTensor<A2qValues> cur = in;
        String name;
        PoolOp.Kind kind;
        if (pool.getPoolKind() != PoolOp.Kind.MAX) {
            if (cur.state().quantizer() != null) {
                // the block averages the float values q·s that QReLU/QIdentity output: the same float32 product
                String deq = step.name("_deq");
                step.add(new DequantizeScaledOp(
                        deq, cur.name(), cur.state().quantizer().scaleValue(), new float[] {1f}, null));
                cur = cur.with(deq, A2qValues.FLOAT);
            }
            name = step.name("_avg");
            kind = PoolOp.Kind.FLOAT_AVG;
        } else {
            if (cur.state().quantizer() == null) {
                // max(Q(x)) = Q(max(x)): quantize with the next block's quantizer first, then pool the integers
                ActivationQuantizer next = quantizerAfterPools(step);
                cur = A2qExporter.quantize(step, cur, step.name("_quant"), next);
                cur = cur.with(cur.name(), new A2qValues(next, next));
            }
            name = step.name("_pool");
            kind = PoolOp.Kind.MAX;
        }
        int[] window = ints(pool.getWindow());
        int[] shape = cur.shape();
        if (shape.length != window.length + 1) {
            throw new IllegalArgumentException("block " + step.at() + " (QatPool) has a " + window.length
                    + "-D window but a" + " per-sample input of shape " + Arrays.toString(shape));
        }
        step.add(new PoolOp(name, cur.name(), kind, window, ints(pool.getStride()), 64));
        return new ExportTensor<>(name, step.shapeOf(name), cur.state());
    }

    /** The quantizer of the first block after the max pools starting at this step; refused if it does not quantize. */
    private static ActivationQuantizer quantizerAfterPools(ExportStep<A2qValues> step) {
        List<?> children = step.siblings();
        int j = step.index();
        while (j < children.size() && children.get(j) instanceof QatPool) {
            j++;
        }
        Object next = j < children.size() ? children.get(j) : null;
        if (next instanceof QuantizedActivation qa) {
            return qa.getQuantizer();
        }
        if (next instanceof AbstractQLayer layer && layer.ownsInputQuantizer()) {
            return layer.getInputQuantizer();
        }
        throw new IllegalArgumentException(
                "block " + step.at() + " (QatPool) pools float values and the block after it ("
                        + (next == null ? "end of network" : next.getClass().getSimpleName())
                        + ") does not quantize them;"
                        + " the integer format pools integers: put the pool after a QReLU/QIdentity or before a quantizing block");
    }

    static int[] ints(Shape s) {
        int[] out = new int[s.dimension()];
        for (int a = 0; a < out.length; a++) {
            out[a] = Math.toIntExact(s.get(a));
        }
        return out;
    }
}
