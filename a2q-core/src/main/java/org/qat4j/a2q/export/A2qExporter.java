package org.qat4j.a2q.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.Map;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QuantizedActivation;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.export.graph.ExportHandlers;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.core.export.graph.GraphWalk;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.core.nn.QatPool;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.QuantizeScaledOp;

/**
 * Exports a trained {@link SequentialBlock} of A2Q blocks ({@code QIdentity}, {@code QReLU},
 * {@code QLinear}, {@code QConv1d}, {@code QConv2d}, max and average {@code QatPool} without padding,
 * {@code QatFlatten}, DJL's {@code Blocks.batchFlattenBlock()}, nested {@code SequentialBlock}s,
 * identity blocks, and residual joins: a {@code ParallelBlock} whose join hands the branch outputs
 * through, followed by {@code QatAdd}) to an {@link IntegerModel}, through the one graph walk ({@link GraphWalk}) with one
 * handler per block kind ({@link #handlers()}):
 * <ul>
 *   <li>an activation quantizer becomes {@code quantize_scaled}: {@code clamp(rint(x / s_x))} in float32
 *       (a QReLU's ReLU needs no op: clamping at 0 gives the same integer);</li>
 *   <li>a layer becomes {@code dense}/{@code conv} with the layer's integer weights q (A2Q arXiv
 *       2308.13504 §3: exported as trained, never re-rounded) and its P and A2Q/A2Q+ constraint, then
 *       {@code dequantize_scaled}: {@code acc · (s_x · s_c) + b} in float32, the order of the block's forward
 *       ({@link A2qLayerStep});</li>
 *   <li>max pooling becomes {@code maxpool} on the integers: the quantizer {@code Q(x) = clamp(rint(x / s))}
 *       is monotone non-decreasing, so {@code max_j Q(x_j) = Q(max_j x_j)} and {@code max_j (q_j · s) = (max_j q_j) · s};
 *       a max pool on float values directly before a quantizer is exported after it for the same reason;
 *       flatten becomes {@code flatten} (row-major) ({@link A2qPoolStep});</li>
 *   <li>a residual join repeats QatAdd's float32 sum of the branch results with {@code add_float}
 *       ({@link A2qResidualJoin}).</li>
 * </ul>
 * Average pooling becomes {@code avgpool_float}: the block averages the float32 values {@code q · s}
 * (rounded products, a float32 sum, one division), which no integer op repeats bit for bit for an
 * arbitrary scale s, so the export dequantizes {@code q · s} exactly as the quantizer block does and
 * repeats PyTorch's float32 average (sum in window order, then divide); the next quantizing block
 * quantizes the mean as in training.
 * Unconstrained layers get the minimal accumulator width derived from their input range. Blocks of
 * other kinds are refused with a message naming the block and its position.
 */
public final class A2qExporter {
    private A2qExporter() {}

    private static final ExportHandlers<A2qValues> HANDLERS = ExportHandlers.<A2qValues>builder("A2Q")
            .inputState(A2qValues.FLOAT)
            .block(QuantizedActivation.class, A2qExporter::activation)
            .block(QatPool.class, A2qPoolStep::export)
            .block(AbstractQLayer.class, A2qLayerStep::export)
            .join(QatAdd.class, new A2qResidualJoin())
            .output(A2qExporter::output)
            .supported("QIdentity, QReLU, QLinear, QConv1d, QConv2d, QatPool (no padding), QatFlatten,"
                    + " Blocks.batchFlattenBlock(), SequentialBlock, identity blocks, and ParallelBlock(gather, branches) followed by"
                    + " QatAdd")
            .build();

    /** A2Q's export handlers: one per block kind, for {@link GraphWalk}. */
    public static ExportHandlers<A2qValues> handlers() {
        return HANDLERS;
    }

    /**
     * Exports {@code net}.
     *
     * @param net trained network (evaluation-mode semantics)
     * @param inputShape per-sample input shape (no batch axis), e.g. {@code [20]} or {@code [3, 32, 32]}
     * @param recipe free text naming the training recipe
     * @param seed training seed
     * @param settings further provenance settings
     */
    public static IntegerModel export(
            SequentialBlock net, Shape inputShape, String recipe, long seed, Map<String, String> settings) {
        return GraphWalk.export(net, inputShape, HANDLERS, recipe, seed, settings);
    }

    private static ExportTensor<A2qValues> activation(
            ExportStep<A2qValues> step, QuantizedActivation qa, ExportTensor<A2qValues> in) {
        ActivationQuantizer q = qa.getQuantizer();
        if (in.state().hoisted() != null && in.state().hoisted() == q) {
            return in.with(in.name(), A2qValues.of(q));
        }
        requireFloat(step, in, qa);
        return quantize(step, in, step.name("_quant"), q);
    }

    private static ExportTensor<A2qValues> output(ExportStep<A2qValues> step, ExportTensor<A2qValues> last) {
        if (last.state().quantizer() != null) {
            throw new IllegalArgumentException(
                    "the network ends with an activation quantizer; export expects a final QLinear/QConv");
        }
        return last;
    }

    /** {@code quantize_scaled} of a float tensor with {@code q}: the tensor then holds q's integers. */
    static ExportTensor<A2qValues> quantize(
            ExportStep<A2qValues> step, ExportTensor<A2qValues> in, String name, ActivationQuantizer q) {
        step.add(new QuantizeScaledOp(name, in.name(), q.scaleValue(), q.getBits(), q.isSigned(), false));
        return in.with(name, A2qValues.of(q));
    }

    static void requireFloat(ExportStep<A2qValues> step, ExportTensor<A2qValues> in, Object block) {
        if (in.state().quantizer() != null) {
            throw new IllegalArgumentException(
                    "block " + step.at() + " (" + block.getClass().getSimpleName() + ") quantizes an input that"
                            + " is already quantized; the integer format expects a dot product between two activation quantizers");
        }
    }
}
