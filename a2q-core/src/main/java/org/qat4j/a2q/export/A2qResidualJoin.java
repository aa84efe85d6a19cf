package org.qat4j.a2q.export;

import java.util.List;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.core.export.graph.JoinHandler;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.FloatAddOp;

/**
 * A residual join in an A2Q/A2Q+ network ({@code ParallelBlock(gather, branches)} then {@code QatAdd}):
 * the branch results are float32 values — a layer's {@code acc · (s_x · s_c) + b}, or an activation
 * quantizer's {@code q · s} — and {@code QatAdd} sums them in float32, which no integer op repeats for
 * arbitrary scales (A2Q arXiv 2308.13504 bounds accumulators, not the float sums between layers). The
 * export repeats the float arithmetic: a branch holding a quantizer's integers is dequantized with
 * {@code dequantize_scaled} ({@code inputScale} s, {@code channelScale} 1: {@code (float) q * s}, the
 * quantizer block's own product), then {@code add_float} sums the branches in order,
 * {@code ((b0 + b1) + b2) + …}; the next quantizing block quantizes the sum as in training.
 */
final class A2qResidualJoin implements JoinHandler<A2qValues, QatAdd> {

    @Override
    public ExportTensor<A2qValues> join(
            ExportStep<A2qValues> step,
            QatAdd add,
            ExportTensor<A2qValues> in,
            List<ExportTensor<A2qValues>> branches) {
        String sum = null;
        for (int k = 0; k < branches.size(); k++) {
            ExportTensor<A2qValues> b = branches.get(k);
            String value = b.name();
            if (b.state().quantizer() != null) {
                value = step.name("b" + k + "_deq");
                step.add(new DequantizeScaledOp(
                        value, b.name(), b.state().quantizer().scaleValue(), new float[] {1f}, null));
            }
            if (sum == null) {
                sum = value;
            } else {
                String name = step.name("_add" + k);
                step.add(new FloatAddOp(name, sum, value));
                sum = name;
            }
        }
        return new ExportTensor<>(sum, branches.get(0).shape(), A2qValues.FLOAT);
    }
}
