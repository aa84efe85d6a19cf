package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.RunProvenance;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.method.LayerBits;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.core.train.pareto.ParetoPoint;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.examples.run.EpochProgress;
import org.qat4j.examples.run.LayerStats;
import org.qat4j.examples.run.QatLoopEpochBody;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunLock;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.examples.run.RunPlots;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.io.StrictJson;
import org.qat4j.runtime.model.IntegerModel;

/**
 * Runs a recipe end to end into a run directory: trains with checkpoints after every epoch
 * (resumable), prepares the network for export (calibration), exports the integer model
 * ({@code integer-model.json}), proves and writes {@code certificate.json}, checks it with the
 * independent checker, compares network and integer model bit for bit on the whole test set, and
 * writes {@code metrics.json} and the plots. Everything a user reads is printed to {@code console}.
 */
public final class RecipeRunner {

    /** File in the run directory holding the run's {@link RecipeSettings}. */
    public static final String SETTINGS_FILE = "run.json";
    /** Test inputs (with the network's outputs) recorded in the integer model file. */
    static final int TEST_VECTORS = 64;
    /** File name of the exported integer model. */
    public static final String MODEL_EXTENSION = "json";

    private final RecipePlan plan;
    private final RunDirectory run;
    private final PrintStream console;

    /**
     * @param plan the recipe's plan for this run
     * @param run the run directory
     * @param console where progress and results are printed (the CLI's standard output)
     */
    public RecipeRunner(RecipePlan plan, RunDirectory run, PrintStream console) {
        this.plan = plan;
        this.run = run;
        this.console = console;
    }

    /**
     * Trains (continuing the latest checkpoint when {@code resume}), then exports and verifies.
     *
     * @return the metrics written to {@code metrics.json}
     */
    public RunMetrics train(boolean resume) throws IOException {
        long start = System.nanoTime();
        RecipeSettings settings = plan.settings();
        EpochSeededSampler sampler = new EpochSeededSampler(settings.batchSize(), true, false, settings.seed());
        RunAdmission.check(run, settings, resume);
        boolean created = !Files.exists(run.root());
        Files.createDirectories(run.root());
        try {
            try (RunLock lock = run.lock()) {
                // again under the lock: another qat may have started here since the first look
                RunAdmission.check(run, settings, resume);
                Path file = run.root().resolve(SETTINGS_FILE);
                boolean wroteSettings = false;
                try {
                    if (!Files.exists(file)) {
                        StrictJson.write(file, settings);
                        wroteSettings = true;
                    }
                    Engine.getInstance().setRandomSeed((int) settings.seed());
                    return train(resume, sampler, start);
                } catch (IOException | RuntimeException | Error e) {
                    if (wroteSettings) {
                        RunAdmission.undo(run);
                    }
                    throw e;
                }
            }
        } finally {
            if (created) {
                RunAdmission.removeIfEmpty(run);
            }
        }
    }

    private RunMetrics train(boolean resume, EpochSeededSampler sampler, long start) throws IOException {
        RecipeSettings settings = plan.settings();
        try (Model model = Model.newInstance(settings.recipe());
                RecipeData data = plan.loadData(sampler)) {
            Block block = plan.newBlock();
            model.setBlock(block);
            long batches = (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
            EpochProgress progress = new EpochProgress(console, EpochProgress.isTerminal(), settings.epochs(), batches);
            ResumableTraining training = ResumableTraining.builder()
                    .setModel(model)
                    .setCheckpointDirectory(run.checkpoints())
                    .setEpochs(settings.epochs())
                    .setSeed(settings.seed())
                    .optResume(resume)
                    .optCheckpointListener(progress)
                    .build();
            TrainingState state = training.restoreOrStart();
            if (state.completedEpochs() > 0) {
                console.printf(
                        "Resuming %s after epoch %d of %d%n",
                        settings.recipe(), state.completedEpochs(), settings.epochs());
            }
            console.printf(
                    "Training %s: %d epochs, %d training samples, batch %d, seed %d%n",
                    settings.recipe(), settings.epochs(), data.train().size(), settings.batchSize(), settings.seed());
            try (Trainer trainer = newTrainer(model, progress)) {
                A2qCapacity.report(block).forEach(console::println);
                Double startAccuracy = null;
                if (state.completedEpochs() == 0 && plan.beforeTraining(block)) {
                    startAccuracy = QatLoopEpochBody.accuracy(trainer, data.test());
                    console.printf(
                            "Initialized from %s: test accuracy %.4f before training%n",
                            settings.initFrom(), startAccuracy);
                }
                QatLoopEpochBody.Builder body = QatLoopEpochBody.builder()
                        .setTrainer(trainer)
                        .setTrainData(data.train())
                        .optValidationData(data.test())
                        .optSampler(sampler)
                        .optExtraMetrics(epoch -> plan.method().epochMetrics(block));
                plan.method().epochHooks(block, settings.epochs()).forEach(body::addEpochHook);
                body.addEpochHook(progress);
                state = training.run(body.build());
                if (!plan.exportsIntegerModel()) {
                    return finishFloat(trainer, data, state, start);
                }
                return exportAndVerify(model, trainer, data, state, start, startAccuracy);
            }
        }
    }

    /** A float run ({@code --variant float}): metrics and plots of the trained network, no integer model. */
    private RunMetrics finishFloat(Trainer trainer, RecipeData data, TrainingState state, long start)
            throws IOException {
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

    /**
     * Refuses, reading only, a run directory {@link #train} must not use (see {@code RunAdmission}).
     *
     * @throws org.qat4j.examples.run.RunRefusedException naming the directory, why and what to do
     */
    public void check(boolean resume) throws IOException {
        RunAdmission.check(run, plan.settings(), resume);
    }

    /**
     * Loads the run's latest checkpoint and exports and verifies it again (for {@code qat export}).
     *
     * @return the metrics written to {@code metrics.json}
     */
    public RunMetrics reexport() throws IOException {
        long start = System.nanoTime();
        RecipeSettings settings = plan.settings();
        if (!plan.exportsIntegerModel()) {
            throw new IllegalArgumentException(run.root() + " is a --variant float run: it has no integer model to"
                    + " export; quantize it with qat ptq METHOD --float-run " + run.root());
        }
        EpochSeededSampler sampler = new EpochSeededSampler(settings.batchSize(), true, false, settings.seed());
        if (!Files.isDirectory(run.root())) {
            throw new java.nio.file.NoSuchFileException(run.root().toString(), null, "no such run directory");
        }
        try (RunLock lock = run.lock();
                Model model = Model.newInstance(settings.recipe());
                RecipeData data = plan.loadData(sampler)) {
            model.setBlock(plan.newBlock());
            CheckpointStore store = new CheckpointStore(run.checkpoints(), 2);
            TrainingState state = store.restore(model)
                    .orElseThrow(
                            () -> new IOException("no checkpoint in " + run.checkpoints() + ": train the run first"));
            console.printf(
                    "Exporting %s from the checkpoint of epoch %d%n", settings.recipe(), state.completedEpochs());
            try (Trainer trainer = newTrainer(model, null)) {
                return exportAndVerify(model, trainer, data, state, start, null);
            }
        }
    }

    private Trainer newTrainer(Model model, EpochProgress progress) {
        Block block = model.getBlock();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(plan.newOptimizer(block));
        if (progress != null) {
            config.addTrainingListeners(progress);
        }
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(batchShape(1));
        return trainer;
    }

    private Shape batchShape(long batch) {
        Shape sample = plan.sampleShape();
        long[] dims = new long[sample.dimension() + 1];
        dims[0] = batch;
        System.arraycopy(sample.getShape(), 0, dims, 1, sample.dimension());
        return new Shape(dims);
    }

    private RunMetrics exportAndVerify(
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
        Path modelFile = run.integerModel(MODEL_EXTENSION);
        Path certificateFile = run.certificateJson();
        VerifiedExport<IntegerEvaluation> verified;
        try (NDManager manager = trainer.getManager().newSubManager()) {
            // test vectors recorded in the model file let `qat verify` re-check bit-exactness without DJL
            int vectors = (int) Math.min(TEST_VECTORS, data.test().size());
            verified = ExportPipeline.builder()
                    .optFiles(modelFile, certificateFile)
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
                    .run(block, integerModel, manager, IntegerEvaluation.check(data.test(), settings.seed()));
        }
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
                .optSetting("initFrom", s.initFrom())
                .optDataSha256("train", data.train().sha256())
                .optDataSha256("test", data.test().sha256())
                .build();
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

    /** Reads the settings a run directory was trained with. */
    public static RecipeSettings readSettings(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(SETTINGS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(
                    file.toString(),
                    null,
                    Files.isDirectory(runDirectory)
                            ? "not found: " + runDirectory + " is not a run directory of qat train"
                            : "not found: no such run directory " + runDirectory);
        }
        return StrictJson.read(file, RecipeSettings.class);
    }
}
