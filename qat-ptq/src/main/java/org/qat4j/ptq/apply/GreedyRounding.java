package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.nn.ConvGeometry;
import org.qat4j.ptq.calib.ClipRule;
import org.qat4j.ptq.kernel.GreedyPathFollowing;
import org.qat4j.ptq.kernel.HessianErrorCompensation;
import org.qat4j.ptq.kernel.Im2col;

/**
 * GPFQ (arXiv 2201.11113), GPTQ (arXiv 2210.17323) and AXE in both forms (arXiv 2409.17092) applied to a {@link PtqTwin} (dense layers, and 2-D
 * convolutions through their im2col patches), layer by layer in forward
 * order: per-channel MSE weight clips, then {@link GreedyPathFollowing} on the calibration inputs the layer
 * receives in the float model (X) and through the already-quantized prefix (X̃), then the next activation
 * quantizer's MSE clip from the new prefix. With an accumulator width every layer is constrained, and the
 * constraint is returned so that the export declares it and the certificate proves it.
 */
final class GreedyRounding {

    private GreedyRounding() {}

    /** A layer's calibration inputs as dense rows: as they are for a dense layer, im2col patches for a convolution. */
    static float[] rows(AbstractQLayer layer, NDArray input) {
        float[] x = input.toType(DataType.FLOAT32, false).toFloatArray();
        if (!(layer instanceof QConv2d conv)) {
            return x;
        }
        ConvGeometry g = conv.geometry();
        if (g.groups() != 1) {
            throw new UnsupportedOperationException("GPFQ/AXE: grouped convolution (groups = " + g.groups() + ")");
        }
        long[] s = input.getShape().getShape();
        return Im2col.patches(
                x,
                (int) s[0],
                (int) s[1],
                (int) s[2],
                (int) s[3],
                (int) g.kernel().get(0),
                (int) g.kernel().get(1),
                (int) g.stride().get(0),
                (int) g.stride().get(1),
                (int) g.padding().get(0),
                (int) g.padding().get(1),
                (int) g.dilation().get(0),
                (int) g.dilation().get(1));
    }

    /**
     * @param accumulatorBits AXE's P, or null for GPFQ
     * @param constrainFirstLast whether AXE constrains the first and last layers too (otherwise they get GPFQ/GPTQ)
     * @param hessian GPTQ's Hessian-based error compensation ({@link HessianErrorCompensation}) instead of GPFQ's
     *     greedy path following
     * @return per constrained child index, the accumulator the layer was quantized for (empty for GPFQ/GPTQ)
     */
    static Map<Integer, GreedyPathFollowing.Accumulator> run(
            PtqTwin twin,
            NDManager manager,
            NDArray calibration,
            Integer accumulatorBits,
            boolean constrainFirstLast,
            boolean hessian,
            Consumer<String> progress) {
        Map<Integer, GreedyPathFollowing.Accumulator> constrained = new LinkedHashMap<>();
        ClipCalibration clips = new ClipCalibration(ClipRule.mse(), true, ClipRule.mse());
        List<Block> children = twin.children();
        int firstLayer = -1;
        int lastLayer = -1;
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof AbstractQLayer) {
                firstLayer = firstLayer < 0 ? i : firstLayer;
                lastLayer = i;
            }
        }
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            ActivationQuantizer q = PtqTwin.quantizerOf(child);
            if (q != null) {
                ClipCalibration.calibrateActivation(
                        twin, manager, calibration, i, q, i == 0 ? ClipRule.minMax() : ClipRule.mse());
                continue;
            }
            if (!(child instanceof AbstractQLayer layer)) {
                continue;
            }
            if (!(layer instanceof QLinear) && !(layer instanceof QConv2d)) {
                throw new UnsupportedOperationException("GPFQ/AXE support dense and 2-D convolution layers; block #" + i
                        + " is " + layer.getClass().getSimpleName());
            }
            clips.calibrateWeights(twin, layer);
            boolean exempt = !constrainFirstLast && (i == firstLayer || i == lastLayer);
            GreedyPathFollowing.Accumulator acc = accumulatorBits == null || exempt
                    ? null
                    : new GreedyPathFollowing.Accumulator(accumulatorBits, layer.getInputBits(), layer.isInputSigned());
            if (acc != null) {
                double[] s = twin.weightScales(layer);
                double[] fitted = GreedyPathFollowing.budgetScales(twin.weights(layer), s, acc);
                long qMax = (1L << (layer.getWeightBits() - 1)) - 1;
                double[] alpha = new double[s.length];
                int raised = 0;
                for (int c = 0; c < s.length; c++) {
                    alpha[c] = fitted[c] * qMax;
                    raised += fitted[c] > s[c] ? 1 : 0;
                }
                twin.setWeightClips(layer, alpha);
                progress.accept(String.format(
                        "  AXE block #%d: step size raised to fit the budget in %d of %d channels",
                        i, raised, s.length));
            }
            long start = System.nanoTime();
            long[][] ints;
            try (NDManager scope = manager.newSubManager()) {
                NDArray quantIn = twin.trace(scope, calibration).get(i);
                float[] xq = rows(layer, quantIn);
                double[][] w = twin.weights(layer);
                int n = xq.length / w[0].length;
                if (hessian) {
                    ints = HessianErrorCompensation.quantize(
                            w, twin.weightScales(layer), xq, n, layer.getWeightBits(), acc);
                } else {
                    NDArray floatIn = twin.floatLayerInputs(scope, calibration).get(twin.floatLayer(layer));
                    float[] xf = rows(layer, floatIn);
                    ints = GreedyPathFollowing.quantize(
                            w, twin.weightScales(layer), xf, xq, n, layer.getWeightBits(), acc);
                }
            }
            twin.setIntegerWeights(layer, ints);
            if (acc != null) {
                constrained.put(i, acc);
            }
            String name = (acc == null ? "" : "AXE P=" + accumulatorBits + " ") + (hessian ? "GPTQ" : "GPFQ");
            progress.accept(String.format(
                    "  %s block #%d (%d x %d): %.1f s",
                    name, i, ints.length, ints[0].length, (System.nanoTime() - start) / 1e9));
        }
        return constrained;
    }
}
