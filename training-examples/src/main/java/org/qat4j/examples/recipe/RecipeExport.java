package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.RunProvenance;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.method.LayerBits;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.core.train.pareto.ParetoPoint;
import org.qat4j.examples.run.LayerStats;
import org.qat4j.examples.run.QatLoopEpochBody;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.examples.run.RunPlots;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The end of a recipe run, after training: for a quantized network, calibration ({@code QatMethod.prepareExport}),
 * the integer model, its certificate, the independent checker and the bit-exact comparison on the whole test set
 * plus generated inputs ({@link ExportPipeline}); for a float network ({@code --variant float}) its test accuracy.
 * Either way {@code metrics.json}, the plots and the printed results.
 */
final class RecipeExport {

    private final RecipePlan plan;
    private final RunDirectory run;
    private final PrintStream console;

    RecipeExport(RecipePlan plan, RunDirectory run, PrintStream console) {
        this.plan = plan;
        this.run = run;
        this.console = console;
    }

    /** A float run ({@code --variant float}): metrics and plots of the trained network, no integer model. */
    RunMetrics finishFloat(Trainer trainer, RecipeData data, TrainingState state, long start) throws IOException {
        RecipeSettings settings = plan.settings();
        double accuracy = QatLoopEpochBody.accuracy(trainer, data.test());
        RunMetrics metrics = new RunMetrics(settings.recipe())
                .setSeed(settings.seed())
                .setEpochs(settings.epochs())
                .setHistory(state.history())
                .setFloatTestAccuracy(accuracy);
        metrics.putExtra("settings", settings);
        metrics.putExtra("trainSamples", data.train().size());
        metrics.setWallSeconds((System.nanoTime() - start) / 1e9);
        String nearChance = NearChance.check(metrics, data.classes());
        metrics.write(run.metricsJson());
        List<Path> plots = RunPlots.writeAll(metrics, run.plots());
        console.printf(
                "Float test accuracy:   %.4f (float network, no integer model: quantize it with qat ptq)%n", accuracy);
        console.printf("Wall time:             %.1f s%n", metrics.getWallSeconds());
        console.printf("Checkpoints:   %s%nMetrics:       %s%n", run.checkpoints(), run.metricsJson());
        console.printf("Plots (%d):     %s%n", plots.size(), run.plots().toAbsolutePath());
        if (nearChance != null) {
            console.println(nearChance);
        }
        return metrics;
    }

    /** Calibrates, exports, proves, checks and compares the trained network; writes metrics and plots. */
    RunMetrics exportAndVerify(
            Model model, Trainer trainer, RecipeData data, TrainingState state, long start, Double startAccuracy)
            throws IOException {
        RecipeSettings settings = plan.settings();
        Block block = model.getBlock();
        console.println("Calibrating and exporting the integer model");
        try (NDManager manager = trainer.getManager().newSubManager()) {
            plan.method().prepareExport(block, manager, data.train());
        }
        RunMetrics metrics = new RunMetrics(settings.recipe())
                .setSeed(settings.seed())
                .setEpochs(settings.epochs())
                .setHistory(state.history());
        metrics.putExtra("settings", settings);
        metrics.putExtra("trainSamples", data.train().size());
        if (startAccuracy != null) {
            // the imported network's accuracy before its first step (a resumed run has no such measurement)
            metrics.putExtra("testAccuracyAfterInit", startAccuracy);
        }
        RunProvenance provenance = runProvenance(data);
        metrics.setProvenance(provenance);
        IntegerModel integerModel;
        try {
            integerModel = provenance.applyTo(
                    plan.method().export(block, plan.sampleShape(), settings.recipe(), settings.seed(), Map.of()));
        } catch (RuntimeException e) {
            // Keep what the run measured: the network's own test accuracy and the history.
            double accuracy = QatLoopEpochBody.accuracy(trainer, data.test());
            metrics.setFloatTestAccuracy(accuracy).putExtra("exportError", String.valueOf(e.getMessage()));
            metrics.setWallSeconds((System.nanoTime() - start) / 1e9);
            metrics.write(run.metricsJson());
            RunPlots.writeAll(metrics, run.plots());
            console.printf("Float test accuracy:   %.4f%n", accuracy);
            console.printf("Metrics:       %s%n", run.metricsJson());
            throw new IllegalStateException("export failed: " + e.getMessage(), e);
        }
        Path modelFile = run.integerModel(RecipeRunner.MODEL_EXTENSION);
        Path certificateFile = run.certificateJson();
        VerifiedExport<IntegerEvaluation> verified =
                verifiedExport(block, integerModel, data, run, trainer.getManager(), settings.seed(), console);
        CheckReport report = verified.check();
        IntegerEvaluation eval = verified.bitExact();
        metrics.putExtra("bitExactForward", eval.forwardType());

        metrics.setFloatTestAccuracy(eval.floatAccuracy())
                .setIntegerTestAccuracy(eval.integerAccuracy())
                .setBitExact(eval.inputs(), eval.mismatches())
                .setCertificateValid(report.holds());
        if (eval.firstMismatch() != null) {
            metrics.putExtra("firstMismatch", eval.firstMismatch());
        }
        OptionalLong ebops = plan.method().exactEbops(block);
        ebops.ifPresent(metrics::setEbopsExact);
        for (EpochRecord r : state.history()) {
            Double epochEbops = r.extra().get("ebops");
            if (epochEbops != null && !Double.isNaN(r.validationAccuracy())) {
                metrics.addParetoPoint(new ParetoPoint("epoch " + r.epoch(), r.validationAccuracy(), epochEbops));
            }
        }
        if (ebops.isPresent()) {
            metrics.addParetoPoint(new ParetoPoint("exported", eval.integerAccuracy(), ebops.getAsLong()));
        }
        for (LayerStats layer : layerStats(plan.method().layerBits(block), report.rows())) {
            metrics.addLayer(layer);
        }
        metrics.setWallSeconds((System.nanoTime() - start) / 1e9);
        String nearChance = NearChance.check(metrics, data.classes());
        metrics.write(run.metricsJson());
        List<Path> plots = RunPlots.writeAll(metrics, run.plots());

        console.printf("Float test accuracy:   %.4f%n", eval.floatAccuracy());
        console.printf("Integer test accuracy: %.4f (pure-Java runtime)%n", eval.integerAccuracy());
        ebops.ifPresent(e -> console.printf("Exact EBOPs:           %d%n", e));
        console.printf(
                "Bit-exact:             %d mismatches in %d inputs%s%n",
                eval.mismatches(),
                eval.inputs(),
                eval.firstMismatch() == null ? "" : " (first: " + eval.firstMismatch() + ")");
        console.printf("Certificate:           %s%n", report.holds() ? "valid" : "INVALID");
        console.printf("Wall time:             %.1f s%n", metrics.getWallSeconds());
        console.printf(
                "Integer model: %s%nCertificate:   %s%nMetrics:       %s%n",
                modelFile, certificateFile, run.metricsJson());
        console.printf("Plots (%d):     %s%n", plots.size(), run.plots().toAbsolutePath());
        if (nearChance != null) {
            console.println(nearChance);
        }
        return metrics;
    }

    /** The run's recipe, seed, settings, data checksums, JDK and engine: the exported model's provenance. */
    private RunProvenance runProvenance(RecipeData data) {
        RecipeSettings s = plan.settings();
        return RunProvenance.builder()
                .setRecipe(s.recipe())
                .optSeed(s.seed())
                .optSetting("epochs", s.epochs())
                .optSetting("batchSize", s.batchSize())
                .optSetting("learningRate", s.learningRate())
                .optSetting("trainLimit", s.trainLimit())
                .optSetting("variant", s.variant())
                .optSetting("accBits", s.accumulatorBits())
                .optSetting("beta", s.beta())
                .optSetting("uniformBits", s.uniformBits())
                .optSetting("uniformActivationBits", s.uniformActivationBits())
                .optSetting("initFrom", s.initFrom())
                .optDataSha256("train", data.train().sha256())
                .optDataSha256("test", data.test().sha256())
                .build();
    }

    /**
     * The chain a recipe or PTQ run ends with: the model file with test vectors recorded in it (so {@code qat
     * verify} re-checks bit-exactness without DJL) and the certificate written, the independent checker (its
     * table printed), and the bit-exact check on the test set plus random and adversarial inputs.
     */
    static VerifiedExport<IntegerEvaluation> verifiedExport(
            Block block,
            IntegerModel model,
            RecipeData data,
            RunDirectory run,
            NDManager parent,
            long seed,
            PrintStream console)
            throws IOException {
        try (NDManager manager = parent.newSubManager()) {
            int vectors = (int) Math.min(RecipeRunner.TEST_VECTORS, data.test().size());
            return ExportPipeline.builder()
                    .optFiles(run.integerModel(RecipeRunner.MODEL_EXTENSION), run.certificateJson())
                    .optTestVectors(IntegerEvaluation.firstInputs(data.test(), vectors), vectors)
                    .optBatchSize(IntegerEvaluation.BATCH)
                    .optOnChecked(checked -> {
                        console.println("Overflow certificate (independent checker):");
                        console.print(checked.table());
                        console.printf(
                                "Bit-exact check: %d test inputs + %d random + %d adversarial%n",
                                data.test().size(), IntegerEvaluation.GENERATED, IntegerEvaluation.GENERATED);
                    })
                    .build()
                    .run(block, model, manager, IntegerEvaluation.check(data.test(), seed));
        }
    }

    /** Joins the recipe's bit statistics with the checker's rows, both in model order. */
    static List<LayerStats> layerStats(List<LayerBits> bits, List<CheckReport.Row> rows) {
        List<LayerStats> out = new ArrayList<>();
        List<CheckReport.Row> accumulating = rows.stream()
                .filter(r -> r.op().equals("dense") || r.op().startsWith("conv"))
                .toList();
        boolean aligned = accumulating.size() == bits.size();
        for (int i = 0; i < bits.size(); i++) {
            LayerBits b = bits.get(i);
            CheckReport.Row r = aligned ? accumulating.get(i) : null;
            out.add(new LayerStats(
                    r == null ? b.name() : r.layer(),
                    b.kind(),
                    b.weightBits(),
                    b.activationBits(),
                    r == null ? null : r.minimalBits(),
                    r == null ? null : r.declaredBits()));
        }
        if (!aligned) {
            for (CheckReport.Row r : rows) {
                out.add(new LayerStats(r.layer(), r.op(), null, null, r.minimalBits(), r.declaredBits()));
            }
        }
        return out;
    }
}
