package org.qat4j.examples.recipe;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.ptq.multipoint.MultipointQuantizer;

/**
 * A finished {@code --variant float} run of an MLP recipe, opened for post-training methods that work on
 * plain arrays (multipoint, HAGO): its dense layers, the first n training samples as calibration data,
 * the test set and the run's recorded float test accuracy. Holds the DJL model and the data until closed.
 */
final class FloatMlpRun implements AutoCloseable {
    final RecipeSettings settings;
    final List<MultipointQuantizer.Layer> layers;
    final double[][] calibration;
    final int[] calibrationLabels;
    final TensorDataset test;
    final double floatTestAccuracy;
    final long floatWeightBits;
    private final Model model;
    private final RecipeData data;

    private FloatMlpRun(
            RecipeSettings settings, Model model, RecipeData data, int calibrationSamples, double floatAcc) {
        this.settings = settings;
        this.model = model;
        this.data = data;
        this.layers = linearLayers(model.getBlock());
        long weights = 0;
        for (MultipointQuantizer.Layer l : layers) {
            weights += (long) l.weights().length * l.weights()[0].length;
        }
        this.floatWeightBits = 32 * weights;
        int n = (int) Math.min(calibrationSamples, data.train().size());
        this.calibration = new double[n][];
        this.calibrationLabels = new int[n];
        for (int s = 0; s < n; s++) {
            float[] f = data.train().getFeatures(s);
            calibration[s] = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                calibration[s][j] = f[j];
            }
            calibrationLabels[s] = data.train().getLabel(s);
        }
        this.test = data.test();
        this.floatTestAccuracy = floatAcc;
    }

    /** Opens the run (its newest checkpoint); refuses runs that are not float runs of {@code recipe} (if given). */
    static FloatMlpRun open(Path floatRun, String recipe, int calibrationSamples) throws IOException {
        RecipeSettings s = PtqRunner.floatRunSettings(floatRun, recipe);
        RecipePlan plan = Recipes.byName(s.recipe()).plan(s);
        Model model = Model.newInstance(s.recipe());
        RecipeData data = null;
        try {
            data = plan.loadData(new EpochSeededSampler(s.batchSize(), true, false, s.seed()));
            model.setBlock(plan.newBlock());
            new CheckpointStore(floatRun.resolve("checkpoints"), 2)
                    .restore(model)
                    .orElseThrow(
                            () -> new IOException("--float-run " + floatRun + " has no checkpoint: train it first"));
            double acc = RunMetrics.read(floatRun.resolve("metrics.json")).getFloatTestAccuracy();
            return new FloatMlpRun(s, model, data, calibrationSamples, acc);
        } catch (IOException | RuntimeException e) {
            if (data != null) {
                data.close();
            }
            model.close();
            throw e;
        }
    }

    NDManager manager() {
        return model.getNDManager();
    }

    @Override
    public void close() {
        data.close();
        model.close();
    }

    /** The float network's dense layers in order; refuses anything but Linear and ReLU blocks. */
    static List<MultipointQuantizer.Layer> linearLayers(Block block) {
        List<MultipointQuantizer.Layer> out = new ArrayList<>();
        for (var child : block.getChildren().values()) {
            if (child instanceof Linear lin) {
                NDArray w = lin.getParameters().get("weight").getArray();
                NDArray b = lin.getParameters().get("bias").getArray();
                long[] shape = w.getShape().getShape();
                float[] wf = w.toFloatArray();
                float[] bf = b.toFloatArray();
                double[][] wd = new double[(int) shape[0]][(int) shape[1]];
                for (int o = 0; o < shape[0]; o++) {
                    for (int j = 0; j < shape[1]; j++) {
                        wd[o][j] = wf[(int) (o * shape[1] + j)];
                    }
                }
                double[] bd = new double[bf.length];
                for (int o = 0; o < bf.length; o++) {
                    bd[o] = bf[o];
                }
                out.add(new MultipointQuantizer.Layer(wd, bd));
            } else if (!child.getClass().getSimpleName().equals("LambdaBlock")) {
                throw new UnsupportedOperationException(
                        "this method handles MLPs of Linear and ReLU blocks; the float network has a "
                                + child.getClass().getSimpleName());
            }
        }
        return out;
    }
}
