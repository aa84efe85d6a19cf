package org.qat4j.ptq.apply;

import java.util.LinkedHashMap;
import java.util.Map;
import org.qat4j.a2q.export.A2qExporter;
import org.qat4j.ptq.kernel.GreedyPathFollowing;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;

/**
 * A twin quantized by a PTQ method, ready for export: the twin, the method's settings, the layers quantized
 * under an accumulator constraint (AXE), and what the quantization measured.
 *
 * @param twin the quantized twin
 * @param config the method and widths
 * @param constrained per top-level child index of a constrained layer, its accumulator (empty unless AXE)
 * @param seconds wall time of the quantization
 * @param calibrationLoss cross-entropy of the twin on the calibration set
 * @param calibrationAccuracy accuracy of the twin on the calibration set
 */
public record QuantizedTwin(
        PtqTwin twin,
        PtqConfig config,
        Map<Integer, GreedyPathFollowing.Accumulator> constrained,
        double seconds,
        double calibrationLoss,
        double calibrationAccuracy) {

    /** The network the integer model computes: the twin, with SPARQ's blocks in front of its layers for {@code sparq}. */
    public ai.djl.nn.SequentialBlock network() {
        return config.method() == PtqMethod.SPARQ ? SparqNetwork.block(twin, config.sparq()) : twin.block();
    }

    /**
     * The twin's integer model (A2Q exporter, weights exported as the twin holds them). Layers quantized under
     * an accumulator constraint declare their P and the A2Q+ constraint (N, σ, M), so that the prover must
     * establish the sign-half bounds and the exact worst-case interval at P, and the checker re-derives both.
     *
     * @param recipe free text naming what was quantized
     * @param settings further provenance settings (the method and widths are added)
     */
    public IntegerModel export(String recipe, Map<String, String> settings) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put("ptqMethod", config.method().cliName());
        s.put("weightBits", Integer.toString(config.weightBits()));
        s.put("actBits", Integer.toString(config.activationBits()));
        if (config.accumulatorBits() != null) {
            s.put("accBits", Integer.toString(config.accumulatorBits()));
        }
        if (config.firstLastWeightBits() != null) {
            s.put("firstLastBits", Integer.toString(config.firstLastWeightBits()));
        }
        if (config.method() == PtqMethod.SPARQ) {
            s.put("sparq", config.sparq().label());
        }
        IntegerModel model = A2qExporter.export(twin.block(), twin.sampleShape(), recipe, config.seed(), s);
        if (config.method() == PtqMethod.SPARQ) {
            return SparqNetwork.insertOps(model, SparqNetwork.sites(twin), config.sparq());
        }
        if (constrained.isEmpty()) {
            return model;
        }
        IntegerModel.Builder b = model.toBuilder().clearOps();
        int declared = 0;
        for (ModelOp op : model.ops()) {
            GreedyPathFollowing.Accumulator acc = accumulatorOf(op);
            A2qConstraint con = acc == null
                    ? null
                    : new A2qConstraint(
                            A2qConstraint.Variant.A2Q_PLUS, acc.inputBits(), acc.inputSigned(), config.weightBits());
            if (acc != null && op instanceof DenseOp d) {
                b.addOp(new DenseOp(
                        d.name(),
                        d.input(),
                        d.inFeatures(),
                        d.outFeatures(),
                        d.weights(),
                        d.bias(),
                        acc.accumulatorBits(),
                        con));
                declared++;
            } else if (acc != null && op instanceof ConvOp c) {
                b.addOp(new ConvOp(
                        c.name(),
                        c.input(),
                        c.inChannels(),
                        c.outChannels(),
                        c.kernel(),
                        c.stride(),
                        c.padding(),
                        c.dilation(),
                        c.weights(),
                        c.bias(),
                        acc.accumulatorBits(),
                        con));
                declared++;
            } else {
                b.addOp(op);
            }
        }
        if (declared != constrained.size()) {
            throw new IllegalStateException("declared the accumulator of " + declared + " layers, expected "
                    + constrained.size() + " (exporter op names changed?)");
        }
        return b.build();
    }

    /** The exporter names the accumulating op of top-level child n {@code l<n>_acc}. */
    private GreedyPathFollowing.Accumulator accumulatorOf(ModelOp op) {
        for (Map.Entry<Integer, GreedyPathFollowing.Accumulator> e : constrained.entrySet()) {
            if (op.name().equals("l" + e.getKey() + "_acc")) {
                return e.getValue();
            }
        }
        return null;
    }
}
