package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.RecipePlan;
import org.qat4j.examples.recipe.RecipeSettings;
import org.qat4j.examples.recipe.Recipes;
import org.qat4j.export.c.CDifferentialCheck;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The C export of the model of every example recipe ({@code qat recipes}: HGQ MLP and CNN, A2Q+ CNN,
 * jets MLP) equals the Java runtime byte for byte on 10,000 random and adversarial inputs, built with
 * gcc -O2 and with UBSan. The networks are the recipes' own, initialized and calibrated on random
 * inputs (not trained: the export path and the arithmetic are the same, and the test stays fast).
 */
class RecipeModelsCExportTest {

    @TempDir
    Path tmp;

    static List<String> recipes() {
        return Recipes.all().stream().map(Recipe::name).toList();
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void cEqualsRuntimeOnTenThousandInputs(String name) throws IOException {
        IntegerModel m = untrainedModel(name, 5);
        CDifferentialCheck.Result r =
                CDifferentialCheck.run(m, Files.createDirectories(tmp.resolve(name)), 5000, 5000, 1000, 17);
        assertEquals(List.of(), r.problems());
        assertEquals(10_000, r.samples());
    }

    /** The recipe's network, Xavier-initialized with {@code seed}, calibrated on 64 random samples, exported. */
    static IntegerModel untrainedModel(String name, long seed) {
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
