package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qat4j.a2q.kernel.WeightNormInit;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.examples.run.RunDirectory;

/**
 * Starts an A2Q / A2Q+ fine-tuning run from the trained parameters of a warm-up run of the same
 * network, as both papers start from a trained model (arXiv 2308.13504 §5, arXiv 2401.10432 §5):
 * every parameter is copied (float weights v, learned weight scales s, biases, activation scales),
 * then each accumulator-constrained layer re-derives its norm {@code g_c = ‖v_c‖₁} from the copied
 * weights (arXiv 2308.13504 §4), and with EP-init (A2Q+, arXiv 2401.10432 §4.2) projects each
 * channel of v onto the L1 ball of radius {@code s_c·T}.
 */
final class A2qWarmStart {

    private A2qWarmStart() {}

    /**
     * Checks, reading only, that {@code dir} is a run this recipe can start from: a run of the same recipe, or a
     * finished PTQ run of its float twin that holds its twin.
     */
    static void check(Path dir, String recipe) throws IOException {
        if (PtqWarmStart.isPtqRun(dir)) {
            PtqWarmStart.check(dir, recipe);
            return;
        }
        RecipeSettings source = RecipeRunner.readSettings(dir);
        if (!source.recipe().equals(recipe)) {
            throw new IllegalArgumentException(
                    "--init-from " + dir + " is a run of recipe " + source.recipe() + ", this run is " + recipe);
        }
    }

    /**
     * Copies the latest checkpoint of {@code warmUpRun} into the initialized {@code target}.
     *
     * @param warmUpRun run directory of a finished run of the same recipe, or of a {@code qat ptq} run of its
     *     float twin ({@link PtqWarmStart})
     * @param recipe the recipe of the run being started (the warm-up must have the same)
     * @param target the initialized network of the run being started
     * @param epInit whether constrained layers get EP-init after the copy
     * @throws IOException if the warm-up run has no settings or checkpoint
     * @throws IllegalArgumentException if the warm-up is another recipe or its parameters do not match
     */
    static void load(Path warmUpRun, String recipe, Block target, boolean epInit) throws IOException {
        if (PtqWarmStart.isPtqRun(warmUpRun)) {
            PtqWarmStart.load(warmUpRun, recipe, target, epInit);
            return;
        }
        RecipeSettings source = RecipeRunner.readSettings(warmUpRun);
        if (!source.recipe().equals(recipe)) {
            throw new IllegalArgumentException(
                    "--init-from " + warmUpRun + " is a run of recipe " + source.recipe() + ", this run is " + recipe);
        }
        RecipePlan sourcePlan = Recipes.byName(source.recipe()).plan(source);
        try (Model model = Model.newInstance("warm-up")) {
            model.setBlock(sourcePlan.newBlock());
            Path checkpoints = RunDirectory.create(warmUpRun).checkpoints();
            new CheckpointStore(checkpoints, 2)
                    .restore(model)
                    .orElseThrow(() -> new IOException("--init-from " + warmUpRun + ": no checkpoint in " + checkpoints
                            + " (train the warm-up first)"));
            copyParameters(model.getBlock(), target, warmUpRun);
        }
        for (AbstractQLayer layer : BlockTrees.find(target, AbstractQLayer.class)) {
            if (!layer.getVariant().isConstrained()) {
                continue;
            }
            Parameter v = layer.getWeightQuantizer().getWeight();
            Parameter log2g = layer.getWeightQuantizer().getLog2Norm();
            try (NoGradScope ignored = NoGradScope.open();
                    NDManager tmp = v.getArray().getManager().newSubManager()) {
                NDArray v2d = v.getArray()
                        .stopGradient()
                        .reshape(v.getArray().getShape().get(0), -1);
                tmp.tempAttachAll(v2d);
                assign(log2g.getArray(), WeightNormInit.log2Norm(v2d));
            }
            if (epInit) {
                layer.epInit();
            }
        }
    }

    private static void copyParameters(Block source, Block target, Path warmUpRun) {
        Map<String, Parameter> from = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : source.getParameters()) {
            from.put(p.getKey(), p.getValue());
        }
        int copied = 0;
        for (Pair<String, Parameter> p : target.getParameters()) {
            Parameter src = from.get(p.getKey());
            if (src == null || !src.isInitialized()) {
                throw new IllegalArgumentException("--init-from " + warmUpRun + ": the warm-up network has no trained "
                        + "parameter " + p.getKey() + "; it must be the same network");
            }
            try (NoGradScope ignored = NoGradScope.open()) {
                assign(p.getValue().getArray(), src.getArray());
            }
            copied++;
        }
        if (copied != from.size()) {
            throw new IllegalArgumentException("--init-from " + warmUpRun + ": the warm-up network has " + from.size()
                    + " parameters, this one " + copied);
        }
    }

    /** {@code target ← value} as an exact byte copy that keeps target's requires-grad flag. */
    private static void assign(NDArray target, NDArray value) {
        if (!value.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(
                    "parameter shape " + value.getShape() + " does not match " + target.getShape());
        }
        target.set(value.toType(target.getDataType(), false).toByteBuffer());
    }
}
