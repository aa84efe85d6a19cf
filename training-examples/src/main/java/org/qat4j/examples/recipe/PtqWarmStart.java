package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.qat4j.ptq.apply.PtqTwin;
import org.qat4j.ptq.apply.QatFromPtq;
import org.qat4j.runtime.io.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code qat train RECIPE --init-from PTQ_RUN}: starts a QAT run from the quantized twin of a {@code qat ptq} run
 * of the recipe's float twin (A2Q recipes: {@link QatFromPtq}, weights, scales, biases and activation clips copied,
 * constrained layers get rows that quantize to the PTQ integers; HGQ recipes: {@link org.qat4j.ptq.apply.HgqFromPtq},
 * weights, biases and the steps as initial fractional bits). The PTQ run must be finished
 * ({@code metrics.json}) and hold its twin ({@code twin.params}); the twin's structure is rebuilt from the float
 * run it names.
 */
final class PtqWarmStart {

    private static final Logger LOG = LoggerFactory.getLogger(PtqWarmStart.class);

    private PtqWarmStart() {}

    /** True if {@code dir} is a {@code qat ptq} run directory (it has {@code ptq.json}). */
    static boolean isPtqRun(Path dir) {
        return Files.isRegularFile(dir.resolve(PtqRunner.SETTINGS_FILE));
    }

    /**
     * Checks, reading only, that {@code ptqRun} is a finished PTQ run of {@code recipe}'s float twin that holds
     * its twin, and returns its settings.
     */
    static PtqSettings check(Path ptqRun, String recipe) throws IOException {
        PtqSettings ptq = StrictJson.read(ptqRun.resolve(PtqRunner.SETTINGS_FILE), PtqSettings.class);
        if (!recipe.equals(ptq.recipe())) {
            throw new IllegalArgumentException(
                    "--init-from " + ptqRun + " is a PTQ run of recipe " + ptq.recipe() + ", this run is " + recipe);
        }
        if (!Files.isRegularFile(ptqRun.resolve("metrics.json"))) {
            throw new IllegalArgumentException("--init-from " + ptqRun + " is an unfinished PTQ run (no metrics.json)");
        }
        Path twinFile = ptqRun.resolve(PtqRunner.TWIN_FILE);
        if (!Files.isRegularFile(twinFile)) {
            throw new NoSuchFileException(
                    twinFile.toString(),
                    null,
                    "not found: the PTQ run predates saved twins; " + "rerun qat ptq " + ptq.method()
                            + " to start QAT from it");
        }
        return ptq;
    }

    /**
     * Loads the PTQ twin of {@code ptqRun} into the A2Q-family network {@code target} ({@link QatFromPtq}).
     *
     * @param ptqRun a finished {@code qat ptq} run
     * @param recipe the recipe of the run being started (the PTQ run's float run must be of the same recipe)
     * @param target the initialized network of the run being started
     * @param epInit whether accumulator-constrained layers get EP-init after the copy
     * @throws IOException if a file of the PTQ run or its float run is missing or unreadable
     * @throws IllegalArgumentException if the PTQ run is of another recipe or its network does not match
     */
    static void load(Path ptqRun, String recipe, Block target, boolean epInit) throws IOException {
        load(ptqRun, recipe, twin -> {
            QatFromPtq.Transfer t = QatFromPtq.transfer(twin, target, epInit);
            List<String> notes = new ArrayList<>();
            notes.add(t.layers() + " layers, " + t.activationQuantizers() + " activation quantizers");
            notes.addAll(t.notes());
            return notes;
        });
    }

    /**
     * Loads the PTQ twin of {@code ptqRun} and hands it to {@code transfer}, which copies it into the network being
     * started (e.g. {@link org.qat4j.ptq.apply.HgqFromPtq}) and returns its notes.
     *
     * @throws IOException if a file of the PTQ run or its float run is missing or unreadable
     * @throws IllegalArgumentException if the PTQ run is of another recipe or its network does not match, naming
     *     {@code --init-from} and the directory
     */
    static void load(Path ptqRun, String recipe, Function<Block, List<String>> transfer) throws IOException {
        PtqSettings ptq = check(ptqRun, recipe);
        Path twinFile = ptqRun.resolve(PtqRunner.TWIN_FILE);
        RecipeSettings floatSettings = PtqRunner.floatRunSettings(Path.of(ptq.floatRun()), ptq.recipe());
        RecipePlan floatPlan = Recipes.byName(ptq.recipe()).plan(floatSettings);
        try (Model model = Model.newInstance("ptq-twin")) {
            Block floatBlock = floatPlan.newBlock();
            model.setBlock(floatBlock);
            Shape sample = floatPlan.sampleShape();
            long[] dims = new long[sample.dimension() + 1];
            dims[0] = 1;
            System.arraycopy(sample.getShape(), 0, dims, 1, sample.dimension());
            // the float weights are overwritten by the twin's saved parameters: only the structure is needed
            floatBlock.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(dims));
            PtqTwin twin = PtqTwin.wrap(
                    floatBlock, model.getNDManager(), ptq.weightBits(), ptq.firstLastWeightBits(), ptq.actBits());
            try (InputStream in = new BufferedInputStream(Files.newInputStream(twinFile))) {
                twin.block().loadParameters(model.getNDManager(), new DataInputStream(in));
            } catch (ai.djl.MalformedModelException e) {
                throw new IOException(twinFile + ": not the twin of this PTQ run (" + e.getMessage() + ")", e);
            }
            List<String> notes;
            try {
                notes = transfer.apply(twin.block());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--init-from " + ptqRun + ": " + e.getMessage(), e);
            }
            LOG.info(
                    "Initialized from PTQ run {} ({} W{}A{}{})",
                    ptqRun,
                    ptq.method(),
                    ptq.weightBits(),
                    ptq.actBits(),
                    ptq.accBits() == null ? "" : " P=" + ptq.accBits());
            notes.forEach(n -> LOG.info("  {}", n));
        }
    }
}
