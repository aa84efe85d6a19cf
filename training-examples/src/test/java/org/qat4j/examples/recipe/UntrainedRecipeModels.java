package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.XavierInitializer;
import java.util.Random;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The integer models of the example recipes without training, for the export tests: the recipe's own
 * network, initialized and calibrated on random inputs (the export path and the arithmetic are those of a
 * trained model; the weights are wider, 8–11 bits, so the generated code is larger).
 */
public final class UntrainedRecipeModels {
    private UntrainedRecipeModels() {}

    /** The recipe's network, Xavier-initialized with {@code seed}, calibrated on 64 random samples, exported. */
    public static IntegerModel of(String name, long seed) {
        Recipe recipe = Recipes.byName(name);
        boolean a2q = name.startsWith("a2q");
        RecipeSettings s = new RecipeSettings(
                name,
                1,
                32,
                1e-3f,
                64,
                seed,
                a2q ? "a2q+" : null,
                a2q ? 16 : null,
                null,
                name.contains("jets") ? "unused.csv" : null,
                null);
        RecipePlan plan = recipe.plan(s);
        try (Model model = Model.newInstance(name);
                NDManager manager = model.getNDManager()) {
            Block block = plan.newBlock();
            block.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
            ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
            long[] dims = plan.sampleShape().getShape();
            long[] batch = new long[dims.length + 1];
            batch[0] = 1;
            System.arraycopy(dims, 0, batch, 1, dims.length);
            block.initialize(manager, DataType.FLOAT32, new Shape(batch));
            model.setBlock(block);
            int per = (int) plan.sampleShape().size();
            int n = 64;
            float[] x = new float[n * per];
            Random rnd = new Random(seed);
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) Math.abs(rnd.nextGaussian());
            }
            float[] y = new float[n];
            try (TensorDataset calibration = TensorDataset.builder()
                    .setData(x, dims, y)
                    .setSampling(new EpochSeededSampler(32, false, false, seed))
                    .build()) {
                plan.method().prepareExport(block, manager, calibration);
            }
            return plan.method().export(block, plan.sampleShape(), s.recipe(), s.seed(), java.util.Map.of());
        }
    }
}
