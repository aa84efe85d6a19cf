package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.examples.run.EpochProgress;
import org.qat4j.examples.run.QatLoopEpochBody;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunLock;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.runtime.io.StrictJson;

/**
 * Runs a recipe end to end into a run directory: admits the directory and locks it, trains with checkpoints
 * after every epoch (resumable), then hands the trained network to {@link RecipeExport} (calibration, integer
 * model, certificate, independent checker, bit-exact comparison on the whole test set, {@code metrics.json} and
 * plots). Everything a user reads is printed to {@code console}.
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
                    return new RecipeExport(plan, run, console).finishFloat(trainer, data, state, start);
                }
                return new RecipeExport(plan, run, console)
                        .exportAndVerify(model, trainer, data, state, start, startAccuracy);
            }
        }
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
                return new RecipeExport(plan, run, console).exportAndVerify(model, trainer, data, state, start, null);
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
