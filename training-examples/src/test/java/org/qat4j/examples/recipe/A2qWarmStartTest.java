package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.a2q.kernel.WeightNormInit;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.runtime.io.StrictJson;

/**
 * {@code a2q-fashion-cnn --init-from}: a {@code --variant unconstrained} warm-up checkpoint, then A2Q / A2Q+ runs
 * started from it on a tiny generated IDX set, end to end and parameter by parameter.
 */
class A2qWarmStartTest {

    private static final String RECIPE = A2qFashionCnnRecipe.NAME;

    @TempDir
    static Path dir;

    static Path data;
    static Path warmUp;

    @BeforeAll
    static void trainWarmUp() throws Exception {
        data = Files.createDirectories(dir.resolve("idx"));
        writeSplit(data, "train", 256, 1);
        writeSplit(data, "t10k", 50, 7);
        // The warm-up's checkpoint as `qat train --variant unconstrained` leaves it, without its training and
        // export (the sweep in docs/results.md runs those for real; here they would cost minutes).
        warmUp = dir.resolve("warm-up");
        RecipeSettings s = settings("unconstrained", null, null);
        RunDirectory run = RunDirectory.create(warmUp);
        StrictJson.write(warmUp.resolve(RecipeRunner.SETTINGS_FILE), s);
        try (Model model = initialized(s)) {
            new CheckpointStore(run.checkpoints(), 2)
                    .save(model, TrainingState.fresh(1).plus(EpochRecord.of(1, 1.0, Double.NaN, 0.5, 8, 1)));
        }
    }

    @Test
    void a2qPlusRunStartsFromTheWarmUpAndIsExportedCertifiedAndVerified() throws Exception {
        Path run = dir.resolve("a2q-plus-P12");
        RunMetrics m = train(settings("a2q+", 12, warmUp), run);
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(50L + 4000L, m.getBitExactInputs());
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertNotNull(m.getExtra().get("testAccuracyAfterInit"));
        RunMetrics written = RunMetrics.read(run.resolve("metrics.json"));
        assertNotNull(written.getExtra().get("testAccuracyAfterInit"));
        Map<?, ?> s = (Map<?, ?>) written.getExtra().get("settings");
        assertEquals(warmUp.toAbsolutePath().toString(), s.get("initFrom"));
        // the two inner (constrained) layers were proven at P = 12; first and last declare what they need
        assertEquals(
                List.of(12, 12),
                List.of(
                        m.getLayers().get(1).accumulatorBitsDeclared(),
                        m.getLayers().get(2).accumulatorBitsDeclared()));
        assertTrue(m.getLayers().stream().allMatch(l -> l.accumulatorBitsNeeded() <= l.accumulatorBitsDeclared()));
    }

    @Test
    void a2qCopiesEveryParameterAndReDerivesTheNormFromTheWeights() throws Exception {
        try (Model source = restoredWarmUp();
                Model target = initialized(settings("a2q", 10, warmUp))) {
            A2qWarmStart.load(warmUp, RECIPE, target.getBlock(), false);
            List<AbstractQLayer> from = BlockTrees.find(source.getBlock(), AbstractQLayer.class);
            List<AbstractQLayer> to = BlockTrees.find(target.getBlock(), AbstractQLayer.class);
            assertEquals(4, to.size());
            for (int l = 0; l < to.size(); l++) {
                NDArray v = to.get(l).getWeightQuantizer().getWeight().getArray();
                assertArrayEquals(
                        bits(from.get(l).getWeightQuantizer().getWeight().getArray()), bits(v), "v of " + l);
                assertArrayEquals(
                        bits(from.get(l).getWeightQuantizer().getLog2Scale().getArray()),
                        bits(to.get(l).getWeightQuantizer().getLog2Scale().getArray()),
                        "log2 s of " + l);
                if (to.get(l).getVariant().isConstrained()) {
                    try (NDManager m = NDManager.newBaseManager()) {
                        NDArray expected = WeightNormInit.log2Norm(
                                v.duplicate().reshape(v.getShape().get(0), -1));
                        expected.attach(m);
                        assertArrayEquals(
                                bits(expected),
                                bits(to.get(l)
                                        .getWeightQuantizer()
                                        .getLog2Norm()
                                        .getArray()),
                                "log2 g of " + l);
                    }
                }
            }
        }
    }

    @Test
    void a2qPlusEpInitPutsEveryConstrainedChannelInsideItsL1Ball() throws Exception {
        try (Model target = initialized(settings("a2q+", 10, warmUp))) {
            A2qWarmStart.load(warmUp, RECIPE, target.getBlock(), true);
            int constrained = 0;
            for (AbstractQLayer layer : BlockTrees.find(target.getBlock(), AbstractQLayer.class)) {
                if (!layer.getVariant().isConstrained()) {
                    continue;
                }
                constrained++;
                float t = layer.getWeightQuantizer().bound(layer.getInputBits(), layer.isInputSigned());
                NDArray v = layer.getWeightQuantizer().getWeight().getArray();
                int c = (int) v.getShape().get(0);
                float[] w = v.toType(DataType.FLOAT32, false).toFloatArray();
                float[] ls =
                        layer.getWeightQuantizer().getLog2Scale().getArray().toFloatArray();
                float[] lg = layer.getWeightQuantizer().getLog2Norm().getArray().toFloatArray();
                int k = w.length / c;
                for (int ch = 0; ch < c; ch++) {
                    double l1 = 0;
                    for (int i = 0; i < k; i++) {
                        l1 += Math.abs(w[ch * k + i]);
                    }
                    double radius = Math.pow(2, ls[ch]) * t;
                    // the projection is float32 arithmetic: its L1 norm may exceed the radius by rounding only
                    assertTrue(l1 <= radius * (1 + 1e-5), "channel " + ch + ": |v|_1 " + l1 + " > s*T " + radius);
                    assertTrue(Math.pow(2, lg[ch]) <= radius * (1 + 1e-5), "channel " + ch + ": g above s*T");
                }
            }
            assertEquals(2, constrained);
        }
    }

    @Test
    void aWarmUpOfAnotherRecipeOrWithoutCheckpointIsRefused() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("not-a-run"));
        try (Model target = initialized(settings("a2q", 10, empty))) {
            var missing = assertThrows(
                    java.io.IOException.class, () -> A2qWarmStart.load(empty, RECIPE, target.getBlock(), false));
            assertTrue(missing.getMessage().contains("run.json: not found"), missing.getMessage());
            var other = assertThrows(
                    IllegalArgumentException.class,
                    () -> A2qWarmStart.load(warmUp, "hgq-fashion-cnn", target.getBlock(), false));
            assertEquals(
                    "--init-from " + warmUp + " is a run of recipe a2q-fashion-cnn, this run is hgq-fashion-cnn",
                    other.getMessage());
        }
    }

    @Test
    void accBitsWithTheUnconstrainedWarmUpAreRefused() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new A2qFashionCnnRecipe().plan(settings("unconstrained", 12, null)));
        assertEquals(
                "--acc-bits 12 has no effect with --variant unconstrained (no layer is accumulator-constrained)",
                e.getMessage());
    }

    private static RecipeSettings settings(String variant, Integer p, Path initFrom) {
        return new RecipeSettings(
                RECIPE,
                1,
                32,
                1e-3f,
                0,
                1,
                variant,
                p,
                null,
                null,
                data.toString(),
                null,
                null,
                initFrom == null ? null : initFrom.toAbsolutePath().toString());
    }

    private static RunMetrics train(RecipeSettings settings, Path run) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        return new RecipeRunner(
                        new A2qFashionCnnRecipe().plan(settings),
                        RunDirectory.create(run),
                        new PrintStream(console, true, StandardCharsets.UTF_8))
                .train(false);
    }

    private static Model restoredWarmUp() throws Exception {
        RecipeSettings s = RecipeRunner.readSettings(warmUp);
        Model model = Model.newInstance("source");
        model.setBlock(new A2qFashionCnnRecipe().plan(s).newBlock());
        new CheckpointStore(warmUp.resolve("checkpoints"), 2).restore(model).orElseThrow();
        return model;
    }

    private static Model initialized(RecipeSettings settings) {
        Model model = Model.newInstance("target");
        Block block = new A2qFashionCnnRecipe().plan(settings).newBlock();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return model;
    }

    private static int[] bits(NDArray a) {
        float[] f = a.toType(DataType.FLOAT32, false).toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    /** n 28×28 images whose class c is a bright band at rows 2c..2c+5, with deterministic texture. */
    private static void writeSplit(Path dir, String prefix, int n, int salt) throws Exception {
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784)
                .putInt(0x00000803)
                .putInt(n)
                .putInt(28)
                .putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x00000801).putInt(n);
        for (int s = 0; s < n; s++) {
            int c = (s * 7 + salt) % 10;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int v = (p * 31 + s * 17 + salt) % 60 + (row >= 2 * c && row < 2 * c + 6 ? 180 : 0);
                images.put((byte) Math.min(255, v));
            }
            labels.put((byte) c);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
