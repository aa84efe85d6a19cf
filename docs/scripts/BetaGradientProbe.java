import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.examples.recipe.HgqJetsRecipe;
import org.qat4j.examples.recipe.RecipeData;
import org.qat4j.examples.recipe.RecipePlan;
import org.qat4j.examples.recipe.RecipeSettings;
import org.qat4j.hgq.nn.AbstractHgqLayer;

/**
 * Why β hardly moves the size of an HGQ network trained with Adam (docs/results.md, hardware section): on the
 * hgq-jets network, per fractional-bit parameter, the task loss's gradient (RMS and mean over batches of 64)
 * against the gradient of the β·EBOPs term per unit β, and Adam's expected step E[g]/sqrt(E[g²]) (in units of
 * the learning rate; positive = the bits shrink) for g = task gradient + β·EBOPs gradient at several β.
 * Nothing is trained: the parameters stay as initialized (or as in the checkpoint).
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
 *     -cp "training-examples/target/qat.jar:training-examples/target/lib/*" \
 *     docs/scripts/BetaGradientProbe.java runs/hw/jets.csv [RUN/checkpoints]
 * </pre>
 */
public class BetaGradientProbe {
    private static final int BATCHES = 40;
    private static final double[] BETAS = {1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2};

    public static void main(String[] args) throws Exception {
        String checkpoints = args.length > 1 ? args[1] : null;
        RecipeSettings settings =
                new RecipeSettings(HgqJetsRecipe.NAME, 5, 64, 3e-3f, 0, 42, null, null, 1e-4, args[0], null);
        RecipePlan plan = new HgqJetsRecipe().plan(settings);
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        try (Model model = Model.newInstance("probe")) {
            Block block = plan.newBlock();
            model.setBlock(block);
            if (checkpoints != null) {
                new CheckpointStore(Path.of(checkpoints), 2).restore(model).orElseThrow();
            }
            Loss loss = Loss.softmaxCrossEntropyLoss();
            try (Trainer trainer =
                            model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adam().build()));
                    RecipeData data = plan.loadData(new EpochSeededSampler(64, true, false, 42))) {
                trainer.initialize(new Shape(1, 16));
                List<AbstractHgqLayer> layers = BlockTrees.find(block, AbstractHgqLayer.class);
                List<String> names = new ArrayList<>();
                List<NDArray> bits = new ArrayList<>();
                for (int l = 0; l < layers.size(); l++) {
                    names.add("L" + l + " weight f");
                    bits.add(layers.get(l).getKernelQuantizer().getFractionalBitsParameter().getArray());
                    names.add("L" + l + " input f");
                    bits.add(layers.get(l).getInputQuantizer().getFractionalBitsParameter().getArray());
                }
                int p = bits.size();
                double[][] sum = new double[p][], squares = new double[p][], ebops = new double[p][];
                double[] meanF = new double[p];
                for (int q = 0; q < p; q++) {
                    int n = (int) bits.get(q).size();
                    sum[q] = new double[n];
                    squares[q] = new double[n];
                    ebops[q] = new double[n];
                    for (float f : bits.get(q).toFloatArray()) {
                        meanF[q] += Math.rint(f) / n;
                    }
                }
                layers.forEach(l -> l.setBeta(1.0));
                int t = 0;
                for (Batch b : trainer.iterateDataset(data.train())) {
                    try (b) {
                        // DJL accumulates gradients across collectors: take differences
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(b.getData(), b.getLabels());
                            float[][] before = gradients(bits);
                            gc.backward(loss.evaluate(b.getLabels(), out));
                            float[][] after = gradients(bits);
                            for (int q = 0; q < p; q++) {
                                for (int i = 0; i < after[q].length; i++) {
                                    double g = after[q][i] - before[q][i];
                                    sum[q][i] += g;
                                    squares[q][i] += g * g;
                                }
                            }
                        }
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            trainer.forward(b.getData(), b.getLabels());
                            NDArray terms = null;
                            for (AbstractHgqLayer l : layers) {
                                NDArray term = l.lossTerm(b.getManager());
                                terms = terms == null ? term : terms.add(term);
                            }
                            float[][] before = gradients(bits);
                            gc.backward(terms);
                            float[][] after = gradients(bits);
                            for (int q = 0; q < p; q++) {
                                for (int i = 0; i < after[q].length; i++) {
                                    ebops[q][i] += after[q][i] - before[q][i];
                                }
                            }
                        }
                    }
                    if (++t == BATCHES) {
                        break;
                    }
                }
                System.out.printf(
                        "%s, %d batches of 64; medians over each quantizer's parameters; Adam's step in units of lr%n",
                        checkpoints == null ? "initialization" : checkpoints, t);
                System.out.printf(
                        "%-12s %6s %7s %11s %11s %11s %10s",
                        "bits", "count", "mean f", "rms g_task", "|E g_task|", "g_EBOPs/β", "crossover β");
                for (double beta : BETAS) {
                    System.out.printf(" %7.0e", beta);
                }
                System.out.println();
                for (int q = 0; q < p; q++) {
                    int n = sum[q].length;
                    double[] rms = new double[n], mean = new double[n], perBeta = new double[n], cross = new double[n];
                    for (int i = 0; i < n; i++) {
                        rms[i] = Math.sqrt(squares[q][i] / t);
                        mean[i] = Math.abs(sum[q][i] / t);
                        perBeta[i] = ebops[q][i] / t;
                        cross[i] = perBeta[i] > 0 ? rms[i] / perBeta[i] : Double.POSITIVE_INFINITY;
                    }
                    System.out.printf(
                            "%-12s %6d %7.2f %11.3e %11.3e %11.3e %10.2e",
                            names.get(q), n, meanF[q], median(rms), median(mean), median(perBeta), median(cross));
                    for (double beta : BETAS) {
                        double[] step = new double[n];
                        for (int i = 0; i < n; i++) {
                            double m1 = sum[q][i] / t + beta * perBeta[i];
                            double m2 = squares[q][i] / t
                                    + 2 * beta * perBeta[i] * sum[q][i] / t
                                    + beta * beta * perBeta[i] * perBeta[i];
                            step[i] = m1 / Math.sqrt(m2 + 1e-30);
                        }
                        System.out.printf(" %7.3f", median(step));
                    }
                    System.out.println();
                }
            }
        }
    }

    private static float[][] gradients(List<NDArray> params) {
        float[][] g = new float[params.size()][];
        for (int q = 0; q < g.length; q++) {
            g[q] = params.get(q).getGradient().toFloatArray();
        }
        return g;
    }

    private static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
