package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.examples.run.LayerStats;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunLock;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.examples.run.RunPlots;
import org.qat4j.ptq.apply.CalibrationSet;
import org.qat4j.ptq.apply.PostTrainingQuantizer;
import org.qat4j.ptq.apply.PtqConfig;
import org.qat4j.ptq.apply.PtqMethod;
import org.qat4j.ptq.apply.QuantizedTwin;
import org.qat4j.ptq.kernel.SparqPairCount;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.io.StrictJson;
import org.qat4j.runtime.model.IntegerModel;

/**
 * Runs {@code qat ptq}: loads the float model of a {@code --variant float} run, quantizes it with a PTQ method
 * ({@link PostTrainingQuantizer}) on the first n training samples, and ends as {@code qat train} ends: integer
 * model with recorded test vectors, certificate proved and checked by the independent checker, network and
 * integer model compared bit for bit on the whole test set plus random and adversarial inputs, {@code metrics.json}
 * and plots.
 */
public final class PtqRunner {

    /** File in the run directory holding the run's {@link PtqSettings}. */
    public static final String SETTINGS_FILE = "ptq.json";
    /** File in the run directory holding the quantized twin's DJL parameters (what {@code --init-from} loads). */
    public static final String TWIN_FILE = "twin.params";

    private final PrintStream console;

    public PtqRunner(PrintStream console) {
        this.console = console;
    }

    /** The float run's settings; refused unless it is a {@code --variant float} run (of {@code recipe}, if given). */
    public static RecipeSettings floatRunSettings(Path floatRun, String recipe) throws IOException {
        RecipeSettings s = RecipeRunner.readSettings(floatRun);
        if (!FloatPlan.requested(s)) {
            throw new IllegalArgumentException(
                    "--float-run " + floatRun + " is not a float run (its run.json has variant " + s.variant()
                            + "); train one with: qat train " + s.recipe() + " --variant float");
        }
        if (recipe != null && !recipe.equals(s.recipe())) {
            throw new IllegalArgumentException(
                    "--recipe " + recipe + " does not match --float-run " + floatRun + ", a run of " + s.recipe());
        }
        return s;
    }

    /**
     * Quantizes, exports and verifies into {@code out}.
     *
     * @param floatRun a finished {@code --variant float} run
     * @param recipe the recipe name the user gave (checked against the float run), or null
     * @param config the PTQ method and widths
     * @param calibrationSamples n, the first n training samples
     * @param dir the PTQ run directory: absent or empty; on failure everything this run wrote is removed again
     * @return the metrics written to {@code metrics.json}
     */
    public RunMetrics run(Path floatRun, String recipe, PtqConfig config, int calibrationSamples, Path dir)
            throws IOException {
        if (!isFresh(dir)) {
            throw new IllegalStateException(dir + " is not empty");
        }
        RunDirectory out = RunDirectory.create(dir);
        try {
            return run(floatRun, recipe, config, calibrationSamples, out);
        } catch (IOException | RuntimeException e) {
            undo(out);
            throw e;
        }
    }

    /** Removes what a failed PTQ run wrote, and the directory when nothing else is in it. */
    private static void undo(RunDirectory out) throws IOException {
        AtomicFiles.deleteRecursively(out.plots());
        Files.deleteIfExists(out.metricsJson());
        Files.deleteIfExists(out.certificateJson());
        Files.deleteIfExists(out.integerModel(RecipeRunner.MODEL_EXTENSION));
        Files.deleteIfExists(out.root().resolve(SETTINGS_FILE));
        Files.deleteIfExists(out.root().resolve(TWIN_FILE));
        RunAdmission.removeIfEmpty(out);
    }

    private RunMetrics run(Path floatRun, String recipe, PtqConfig config, int calibrationSamples, RunDirectory out)
            throws IOException {
        long start = System.nanoTime();
        RecipeSettings floatSettings = floatRunSettings(floatRun, recipe);
        RecipePlan plan = Recipes.byName(floatSettings.recipe()).plan(floatSettings);
        PtqSettings settings = new PtqSettings(
                config.method().cliName(),
                floatSettings.recipe(),
                floatRun.toAbsolutePath().toString(),
                config.weightBits(),
                config.activationBits(),
                config.accumulatorBits(),
                calibrationSamples,
                config.iterations(),
                config.seed(),
                config.firstLastWeightBits());
        EpochSeededSampler sampler =
                new EpochSeededSampler(floatSettings.batchSize(), true, false, floatSettings.seed());
        try (RunLock lock = out.lock();
                Model model = Model.newInstance(floatSettings.recipe());
                RecipeData data = plan.loadData(sampler)) {
            StrictJson.write(out.root().resolve(SETTINGS_FILE), settings);
            model.setBlock(plan.newBlock());
            new CheckpointStore(floatRun.resolve("checkpoints"), 2)
                    .restore(model)
                    .orElseThrow(
                            () -> new IOException("--float-run " + floatRun + " has no checkpoint: train it first"));
            int n = (int) Math.min(calibrationSamples, data.train().size());
            console.printf(
                    "PTQ %s of %s (float run %s), W%dA%d%s, %d calibration samples (training set)%n",
                    config.method().cliName(),
                    floatSettings.recipe(),
                    floatRun,
                    config.weightBits(),
                    config.activationBits(),
                    config.accumulatorBits() == null ? "" : " P=" + config.accumulatorBits(),
                    n);
            NDManager manager = model.getNDManager();
            CalibrationSet calibration = calibrationSet(manager, data.train(), n, plan.sampleShape());
            QuantizedTwin q =
                    PostTrainingQuantizer.quantize(model.getBlock(), manager, calibration, config, console::println);
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("floatRun", settings.floatRun());
            provenance.put("calibrationSamples", Integer.toString(n));
            AtomicFiles.write(
                    out.root().resolve(TWIN_FILE),
                    os -> q.twin().block().saveParameters(new java.io.DataOutputStream(os)));
            IntegerModel integerModel =
                    q.export(floatSettings.recipe() + " (ptq " + config.method().cliName() + ")", provenance);
            return exportAndVerify(q, integerModel, data, out, manager, floatRun, settings, start);
        }
    }

    private RunMetrics exportAndVerify(
            QuantizedTwin q,
            IntegerModel exported,
            RecipeData data,
            RunDirectory out,
            NDManager root,
            Path floatRun,
            PtqSettings settings,
            long start)
            throws IOException {
        Path modelFile = out.integerModel(RecipeRunner.MODEL_EXTENSION);
        Path certificateFile = out.certificateJson();
        VerifiedExport<IntegerEvaluation> verified =
                RecipeExport.verifiedExport(q.network(), exported, data, out, root, settings.seed(), console);
        CheckReport report = verified.check();
        IntegerEvaluation eval = verified.bitExact();
        RunMetrics floatMetrics = RunMetrics.read(floatRun.resolve("metrics.json"));
        RunMetrics metrics = new RunMetrics(settings.recipe())
                .setSeed(settings.seed())
                .setFloatTestAccuracy(eval.floatAccuracy())
                .setIntegerTestAccuracy(eval.integerAccuracy())
                .setBitExact(eval.inputs(), eval.mismatches())
                .setCertificateValid(report.holds());
        metrics.putExtra("ptq", settings);
        metrics.putExtra("floatModelTestAccuracy", floatMetrics.getFloatTestAccuracy());
        metrics.putExtra("ptqSeconds", q.seconds());
        metrics.putExtra("calibrationLoss", q.calibrationLoss());
        metrics.putExtra("calibrationAccuracy", q.calibrationAccuracy());
        metrics.putExtra("bitExactForward", eval.forwardType());
        if (eval.firstMismatch() != null) {
            metrics.putExtra("firstMismatch", eval.firstMismatch());
        }
        if (q.config().method() == PtqMethod.SPARQ) {
            // counted on the integer runtime's own tensors over the whole test set
            int testSize = Math.toIntExact(data.test().size());
            SparqPairCount pairs =
                    SparqPairCount.of(verified.model(), IntegerEvaluation.firstInputs(data.test(), testSize), testSize);
            metrics.putExtra("sparq", q.config().sparq());
            metrics.putExtra("sparqPairs", pairs);
            console.printf(
                    "SPARQ %s: %d activation pairs on the test set; %.2f%% with one zero (the other served at 8 bits),"
                            + " %.2f%% two zeros, %.2f%% through 4-bit windows (%d of %d values changed)%n",
                    q.config().sparq().label(),
                    pairs.pairs(),
                    100 * pairs.servedAt8Bits(),
                    100.0 * pairs.bothZero() / Math.max(1, pairs.pairs()),
                    100.0 * (pairs.pairs() - pairs.oneZero() - pairs.bothZero()) / Math.max(1, pairs.pairs()),
                    pairs.changedValues(),
                    pairs.trimmedValues());
        }
        for (CheckReport.Row r : report.rows()) {
            if (r.op().equals("dense") || r.op().startsWith("conv")) {
                metrics.addLayer(new LayerStats(r.layer(), r.op(), null, null, r.minimalBits(), r.declaredBits()));
            }
        }
        metrics.setWallSeconds((System.nanoTime() - start) / 1e9);
        metrics.write(out.metricsJson());
        List<Path> plots = RunPlots.writeAll(metrics, out.plots());
        console.printf("Float model test accuracy:  %.4f (the float run)%n", floatMetrics.getFloatTestAccuracy());
        console.printf("Quantized network accuracy: %.4f (DJL twin)%n", eval.floatAccuracy());
        console.printf("Integer test accuracy:      %.4f (pure-Java runtime)%n", eval.integerAccuracy());
        console.printf(
                "Bit-exact:                  %d mismatches in %d inputs%s%n",
                eval.mismatches(),
                eval.inputs(),
                eval.firstMismatch() == null ? "" : " (first: " + eval.firstMismatch() + ")");
        console.printf("Certificate:                %s%n", report.holds() ? "valid" : "INVALID");
        console.printf(
                "PTQ time:                   %.1f s (wall time of the run %.1f s)%n",
                q.seconds(), metrics.getWallSeconds());
        console.printf(
                "Integer model: %s%nCertificate:   %s%nMetrics:       %s%n",
                modelFile, certificateFile, out.metricsJson());
        console.printf("Plots (%d):     %s%n", plots.size(), out.plots().toAbsolutePath());
        return metrics;
    }

    /** The first n training samples and labels as one batch. */
    static CalibrationSet calibrationSet(NDManager manager, TensorDataset train, int n, Shape sampleShape) {
        int row = train.getRowLength();
        float[] x = new float[n * row];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            System.arraycopy(train.getFeatures(s), 0, x, s * row, row);
            y[s] = train.getLabel(s);
        }
        long[] dims = new long[sampleShape.dimension() + 1];
        dims[0] = n;
        System.arraycopy(sampleShape.getShape(), 0, dims, 1, sampleShape.dimension());
        NDArray inputs = manager.create(x, new Shape(dims));
        return new CalibrationSet(inputs, manager.create(y).toType(DataType.FLOAT32, false));
    }

    /** True if {@code dir} does not exist or is an empty directory (a PTQ run never writes into an existing run). */
    public static boolean isFresh(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
