package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.qat4j.a2q.export.A2qExporter;
import org.qat4j.core.export.BitExactHarness;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.ptq.calib.ClipRule;
import org.qat4j.ptq.kernel.GreedyPathFollowing;
import org.qat4j.runtime.cert.CertificateChecker;
import org.qat4j.runtime.cert.CertificateProver;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;

/**
 * Post-training quantization of a trained float DJL model, ending where QAT ends: the quantized twin
 * ({@link PtqTwin}), its integer model (A2Q exporter), the overflow certificate (prover), the independent
 * checker's verdict, and a bit-exact comparison of twin and integer runtime.
 *
 * <pre>{@code
 * PtqConfig config = PtqConfig.builder().setMethod(PtqMethod.LAPQ).setWeightBits(4).setActivationBits(4).build();
 * PtqResult r = PostTrainingQuantizer.quantize(floatModel.getBlock(), manager, calibration, config, System.out::println);
 * ModelWriter.write(r.model(), file);   // r.check().holds() and r.bitExact().exact()
 * }</pre>
 */
public final class PostTrainingQuantizer {

    /** Random and adversarial inputs of the bit-exact comparison (each), besides the calibration inputs. */
    static final int GENERATED = 500;

    private PostTrainingQuantizer() {}

    /**
     * Quantizes {@code source} by {@code config.method()} on {@code calibration}, exports, certifies and verifies.
     *
     * @param source the trained float block, initialized (only read)
     * @param manager where the twin lives (e.g. the model's manager)
     * @param calibration calibration samples and labels (training data)
     * @param config method and widths
     * @param progress receives one line per step
     */
    public static PtqResult quantize(Block source, NDManager manager, CalibrationSet calibration, PtqConfig config,
            Consumer<String> progress) {
        long start = System.nanoTime();
        PtqTwin twin = PtqTwin.wrap(source, manager, config.weightBits(), config.activationBits());
        progress.accept("Quantizing with " + config + " on " + calibration.size() + " calibration samples");
        Map<Integer, GreedyPathFollowing.Accumulator> constrained = Map.of();
        switch (config.method()) {
            case MINMAX_TENSOR -> new ClipCalibration(ClipRule.minMax(), false, ClipRule.minMax())
                    .apply(twin, manager, calibration.inputs());
            case MINMAX_CHANNEL -> new ClipCalibration(ClipRule.minMax(), true, ClipRule.minMax())
                    .apply(twin, manager, calibration.inputs());
            case PERCENTILE -> new ClipCalibration(ClipRule.minMax(), true, ClipRule.percentile(config.percentile()))
                    .apply(twin, manager, calibration.inputs());
            case MSE -> new ClipCalibration(ClipRule.mse(), true, ClipRule.mse()).apply(twin, manager, calibration.inputs());
            case LAPQ -> new Lapq(twin, manager, calibration, progress).run(config.powellEvaluations());
            case GPFQ -> GreedyRounding.run(twin, manager, calibration.inputs(), null, progress);
            case AXE -> constrained = GreedyRounding.run(twin, manager, calibration.inputs(), config.accumulatorBits(),
                    progress);
            case ADAROUND -> RoundingReconstruction.run(twin, manager, calibration.inputs(), false, config, progress);
            case BRECQ -> RoundingReconstruction.run(twin, manager, calibration.inputs(), true, config, progress);
            default -> throw new IllegalStateException(config.method().name());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double loss = CalibrationLoss.crossEntropy(twin, manager, calibration);
        double accuracy = CalibrationLoss.accuracy(twin, manager, calibration);
        progress.accept(String.format("Quantized in %.1f s: calibration loss %.4f, calibration accuracy %.4f", seconds,
                loss, accuracy));
        Map<String, Integer> declared = new LinkedHashMap<>();
        IntegerModel model = export(twin, config, constrained, declared);
        OverflowCertificate certificate = CertificateProver.prove(model);
        CheckReport check = CertificateChecker.check(model, certificate);
        BitExactReport bitExact = bitExact(twin, model, manager, calibration, config.seed());
        return new PtqResult(twin, model, certificate, check, bitExact, loss, accuracy, seconds, declared);
    }

    /**
     * The twin's integer model; layers quantized under an accumulator constraint declare their P and the A2Q+
     * constraint, so that the prover must establish both the sign-half bounds and the worst-case interval at P.
     */
    static IntegerModel export(PtqTwin twin, PtqConfig config, Map<Integer, GreedyPathFollowing.Accumulator> constrained,
            Map<String, Integer> declared) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ptqMethod", config.method().cliName());
        settings.put("weightBits", Integer.toString(config.weightBits()));
        settings.put("actBits", Integer.toString(config.activationBits()));
        if (config.accumulatorBits() != null) {
            settings.put("accBits", Integer.toString(config.accumulatorBits()));
        }
        IntegerModel model = A2qExporter.export(twin.block(), twin.sampleShape(), "ptq-" + config.method().cliName(),
                config.seed(), settings);
        if (constrained.isEmpty()) {
            return model;
        }
        IntegerModel.Builder b = model.toBuilder().clearOps();
        for (ModelOp op : model.ops()) {
            GreedyPathFollowing.Accumulator acc = constrainedOp(op, constrained);
            if (acc != null && op instanceof DenseOp d) {
                A2qConstraint con = new A2qConstraint(A2qConstraint.Variant.A2Q_PLUS, acc.inputBits(), acc.inputSigned(),
                        config.weightBits());
                b.addOp(new DenseOp(d.name(), d.input(), d.inFeatures(), d.outFeatures(), d.weights(), d.bias(),
                        acc.accumulatorBits(), con));
                declared.put(d.name(), acc.accumulatorBits());
            } else {
                b.addOp(op);
            }
        }
        return b.build();
    }

    /** The exporter names a layer's accumulating op {@code l<child index>_acc}. */
    private static GreedyPathFollowing.Accumulator constrainedOp(ModelOp op, Map<Integer, GreedyPathFollowing.Accumulator> c) {
        for (Map.Entry<Integer, GreedyPathFollowing.Accumulator> e : c.entrySet()) {
            if (op.name().equals("l" + e.getKey() + "_acc")) {
                return e.getValue();
            }
        }
        return null;
    }

    private static BitExactReport bitExact(PtqTwin twin, IntegerModel model, NDManager manager, CalibrationSet data,
            long seed) {
        DataType type = BitExactHarness.requiredForwardType(model);
        if (type != DataType.FLOAT32) {
            throw new IllegalStateException("the PTQ twin needs a " + type + " forward for exactness; PTQ widths keep"
                    + " every accumulator within 24 bits");
        }
        BitExactHarness harness = BitExactHarness.builder().setBlock(twin.block()).setModel(model).build();
        try (NDManager scope = manager.newSubManager()) {
            float[] x = data.inputs().toType(DataType.FLOAT32, false).toFloatArray();
            BitExactReport onData = harness.compare(scope, "calibration", x, data.size());
            BitExactReport generated = harness.compareGenerated(scope, GENERATED, GENERATED, seed);
            java.util.List<BitExactReport.Source> sources = new java.util.ArrayList<>(onData.sources());
            sources.addAll(generated.sources());
            return new BitExactReport(sources, onData.samples() + generated.samples(),
                    onData.elements() + generated.elements(), onData.mismatches() + generated.mismatches(),
                    onData.forwardType(), onData.firstMismatch() != null ? onData.firstMismatch() : generated.firstMismatch());
        }
    }
}
