package org.qat4j.hgq.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.Map;
import org.qat4j.core.export.graph.ExportHandlers;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.core.export.graph.GraphWalk;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.core.nn.QatPool;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HActivation;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HAdd;
import org.qat4j.hgq.nn.HQuantize;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ReluOp;

/**
 * Exports a trained, calibrated {@link SequentialBlock} of HGQ blocks ({@code HQuantize},
 * {@code HDense}, {@code HConv1d}, {@code HConv2d}, {@code HActivation}, {@code QatPool} without padding,
 * {@code QatFlatten}, nested {@code SequentialBlock}s, identity blocks, and residual joins: a
 * {@code ParallelBlock} whose join hands the branch outputs through, followed by {@code HAdd} or
 * {@code QatAdd}) to an {@link IntegerModel} (HGQ, arXiv 2405.00645 §10), through the one graph walk
 * ({@link GraphWalk}) with one handler per block kind ({@link #handlers()}):
 * <ul>
 *   <li>an activation quantizer becomes {@code quantize_fixed} on the float input, or
 *       {@code requantize_fixed} on an exact integer accumulator (same values: the quantizer is exact;
 *       {@link HgqFormatStep});</li>
 *   <li>a dense/conv layer's products {@code x_j · w_jo} (fractions {@code f_xj + f_wjo}) and its bias are
 *       aligned to one grid {@code 2^-F_o} per output channel, {@code F_o = max} over the non-zero terms, by
 *       shifting the weight and bias mantissas left (exact), so {@code acc_o} is the layer's exact output
 *       in units of {@code 2^-F_o} ({@link HgqLayerStep});</li>
 *   <li>a residual join aligns each branch result to the finest fraction per element by left shifts
 *       and sums them with {@code add}: the exact real sum HAdd computes; HAdd's output quantizer follows
 *       ({@link HgqResidualJoin});</li>
 *   <li>accumulator widths are derived from the interval of every partial sum
 *       ({@link AccumulatorWidths#deriveMinimal}); the network's output is dequantized to float32.</li>
 * </ul>
 * The walk's tensor state is the fraction bits per element ({@code int[]}, null while the tensor is float).
 * Export after calibration ({@code HgqCalibration.traceMinMax}) so the integer bits come from data;
 * batch norm is folded by the layers themselves ({@code quantizedKernel}, {@code quantizedBias}).
 */
public final class HgqExporter {
    private HgqExporter() {}

    private static final ExportHandlers<int[]> HANDLERS = ExportHandlers.<int[]>builder("HGQ")
            .block(
                    HQuantize.class,
                    (step, q, in) -> HgqFormatStep.quantize(step, in, step.name("_quant"), q.getQuantizer()))
            .block(AbstractHgqLayer.class, HgqLayerStep::export)
            .block(HActivation.class, HgqExporter::activation)
            .block(QatPool.class, HgqPoolStep::export)
            .join(HAdd.class, new HgqResidualJoin<>(HAdd::getOutputQuantizer))
            .join(QatAdd.class, new HgqResidualJoin<>(add -> null))
            .output(HgqExporter::dequantizeOutput)
            .supported(
                    "HQuantize, HDense, HConv1d, HConv2d, HActivation, QatPool (no padding), QatFlatten, SequentialBlock, and"
                            + " ParallelBlock(gather, branches) followed by HAdd or QatAdd")
            .build();

    /** HGQ's export handlers: one per block kind, for {@link GraphWalk}. */
    public static ExportHandlers<int[]> handlers() {
        return HANDLERS;
    }

    /**
     * Exports {@code net}.
     *
     * @param net trained, calibrated network
     * @param inputShape per-sample input shape (no batch axis)
     * @param recipe free text naming the training recipe
     * @param seed training seed
     * @param settings further provenance settings (β, epochs…)
     */
    public static IntegerModel export(
            SequentialBlock net, Shape inputShape, String recipe, long seed, Map<String, String> settings) {
        return GraphWalk.export(net, inputShape, HANDLERS, recipe, seed, settings);
    }

    private static ExportTensor<int[]> activation(ExportStep<int[]> step, HActivation a, ExportTensor<int[]> in) {
        ExportTensor<int[]> cur = in;
        if (a.getType() == HActivationType.RELU) {
            step.add(new ReluOp(step.name("_relu"), cur.name()));
            cur = cur.named(step.name("_relu"));
        }
        if (a.getOutputQuantizer() != null) {
            cur = HgqFormatStep.quantize(step, cur, step.name("_quant"), a.getOutputQuantizer());
        }
        return cur;
    }

    private static ExportTensor<int[]> dequantizeOutput(ExportStep<int[]> step, ExportTensor<int[]> last) {
        if (last.state() == null) {
            return last;
        }
        step.add(new DequantizeFixedOp("output", last.name(), last.state()));
        return last.with("output", null);
    }
}
