package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;
import org.qat4j.core.export.BitExactCheck;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.ptq.calib.ClipRule;
import org.qat4j.ptq.kernel.GreedyPathFollowing;
import org.qat4j.runtime.model.IntegerModel;

/**
 * Post-training quantization of a trained float DJL model, ending where QAT ends: the quantized twin
 * ({@link PtqTwin}), its integer model (A2Q exporter), the overflow certificate (prover), the independent
 * checker's verdict, and a bit-exact comparison of twin and integer runtime.
 *
 * <pre>{@code
 * PtqConfig config = PtqConfig.builder().setMethod(PtqMethod.LAPQ).setWeightBits(4).setActivationBits(4).build();
 * PtqResult r = PostTrainingQuantizer.quantizeAndVerify(floatModel.getBlock(), manager, calibration, config, System.out::println);
 * ModelWriter.write(r.model(), file);   // r.check().holds() and r.bitExact().exact()
 * }</pre>
 */
public final class PostTrainingQuantizer {

    /** Random and adversarial inputs of the bit-exact comparison (each), besides the calibration inputs. */
    static final int GENERATED = 500;

    private PostTrainingQuantizer() {}

    /**
     * Quantizes {@code source} by {@code config.method()} on {@code calibration}, exports, certifies and verifies in
     * memory.
     *
     * @param source the trained float block, initialized (only read)
     * @param manager where the twin lives (e.g. the model's manager)
     * @param calibration calibration samples and labels (training data)
     * @param config method and widths
     * @param progress receives one line per step
     */
    public static PtqResult quantizeAndVerify(
            Block source, NDManager manager, CalibrationSet calibration, PtqConfig config, Consumer<String> progress) {
        QuantizedTwin q = quantize(source, manager, calibration, config, progress);
        IntegerModel model = q.export("ptq-" + config.method().cliName(), Map.of());
        float[] x = calibration.inputs().toType(DataType.FLOAT32, false).toFloatArray();
        try (NDManager scope = manager.newSubManager()) {
            VerifiedExport<BitExactReport> v = ExportPipeline.builder()
                    .build()
                    .run(
                            q.network(),
                            model,
                            scope,
                            BitExactCheck.inputsAndGenerated("calibration", x, GENERATED, GENERATED, config.seed()));
            return new PtqResult(q, v.model(), v.certificate(), v.check(), v.bitExact());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no files are written without optFiles
        }
    }

    /**
     * Quantizes {@code source} by {@code config.method()} on {@code calibration}; export with
     * {@link QuantizedTwin#export}.
     *
     * @param source the trained float block, initialized (only read)
     * @param manager where the twin lives (e.g. the model's manager)
     * @param calibration calibration samples and labels (training data)
     * @param config method and widths
     * @param progress receives one line per step
     */
    public static QuantizedTwin quantize(
            Block source, NDManager manager, CalibrationSet calibration, PtqConfig config, Consumer<String> progress) {
        long start = System.nanoTime();
        PtqTwin twin =
                PtqTwin.wrap(source, manager, config.weightBits(), config.weightBits(true), config.activationBits());
        progress.accept("Quantizing with " + config + " on " + calibration.size() + " calibration samples");
        Map<Integer, GreedyPathFollowing.Accumulator> constrained = Map.of();
        switch (config.method()) {
            case MINMAX_TENSOR ->
                new ClipCalibration(ClipRule.minMax(), false, ClipRule.minMax())
                        .apply(twin, manager, calibration.inputs());
            // SPARQ trims the 8-bit grid of min-max calibration (the network is built by QuantizedTwin.network())
            case MINMAX_CHANNEL, SPARQ ->
                new ClipCalibration(ClipRule.minMax(), true, ClipRule.minMax())
                        .apply(twin, manager, calibration.inputs());
            case PERCENTILE ->
                new ClipCalibration(ClipRule.minMax(), true, ClipRule.percentile(config.percentile()))
                        .apply(twin, manager, calibration.inputs());
            case MSE ->
                new ClipCalibration(ClipRule.mse(), true, ClipRule.mse()).apply(twin, manager, calibration.inputs());
            case LAPQ -> new Lapq(twin, manager, calibration, progress).run(config.powellEvaluations());
            case GPFQ, GPTQ ->
                GreedyRounding.run(
                        twin, manager, calibration.inputs(), null, false, config.method() == PtqMethod.GPTQ, progress);
            case AXE, AXE_GPTQ ->
                constrained = GreedyRounding.run(
                        twin,
                        manager,
                        calibration.inputs(),
                        config.accumulatorBits(),
                        config.firstLastWeightBits() == null,
                        config.method() == PtqMethod.AXE_GPTQ,
                        progress);
            case ADAROUND -> RoundingReconstruction.run(twin, manager, calibration.inputs(), false, config, progress);
            case BRECQ -> RoundingReconstruction.run(twin, manager, calibration.inputs(), true, config, progress);
            default -> throw new IllegalStateException(config.method().name());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double loss = CalibrationLoss.crossEntropy(twin, manager, calibration);
        double accuracy = CalibrationLoss.accuracy(twin, manager, calibration);
        progress.accept(String.format(
                "Quantized in %.1f s: calibration loss %.4f, calibration accuracy %.4f", seconds, loss, accuracy));
        return new QuantizedTwin(twin, config, constrained, seconds, loss, accuracy);
    }
}
