package org.qat4j.examples.langid;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.util.List;
import org.qat4j.datasets.words.CharNgramHasher;
import org.qat4j.datasets.words.DebianWordLists;

/**
 * The float language-identification network: a character n-gram embedding bag followed by a small
 * classifier, {@code e = Σ_l E[idx_l]} (E: {@code buckets × dim}), {@code logits = W · relu(e) + b}
 * (fastText-style, arXiv 1607.04606, with one ReLU). DJL trains it as {@code Linear(buckets → dim, no
 * bias)} on n-gram count vectors — the same function as the bag, since {@code Σ_l E[idx_l] = counts · E}.
 */
public final class LanguageIdNet implements AutoCloseable {
    private final Model model;
    private final CharNgramHasher hasher;
    private final int dim;

    private LanguageIdNet(Model model, CharNgramHasher hasher, int dim) {
        this.model = model;
        this.hasher = hasher;
        this.dim = dim;
    }

    /** N-gram count vectors {@code [words, buckets]} of index rows (padding −1 ignored). */
    static float[] counts(int[][] idx, int buckets) {
        float[] c = new float[idx.length * buckets];
        for (int s = 0; s < idx.length; s++) {
            for (int r : idx[s]) {
                if (r >= 0) {
                    c[s * buckets + r] += 1;
                }
            }
        }
        return c;
    }

    /** Trains with Adam (lr 0.01, batch 256) for {@code epochs} on {@code train}; progress to {@code console}. */
    public static LanguageIdNet train(
            List<DebianWordLists.Word> train,
            CharNgramHasher hasher,
            int dim,
            int epochs,
            long seed,
            PrintStream console) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance("language-id");
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(dim).optBias(false).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(DebianWordLists.LANGUAGES.size()).build());
        model.setBlock(net);
        int[][] idx = indices(train, hasher);
        float[] labels = new float[train.size()];
        for (int s = 0; s < labels.length; s++) {
            labels[s] = train.get(s).label();
        }
        int batch = 256;
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(1e-2f))
                        .build());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(1, hasher.buckets()));
            for (int epoch = 0; epoch < epochs; epoch++) {
                double lossSum = 0;
                int steps = 0;
                for (int from = 0; from + batch <= idx.length; from += batch) {
                    try (NDManager scope = model.getNDManager().newSubManager()) {
                        int[][] part = java.util.Arrays.copyOfRange(idx, from, from + batch);
                        NDArray x = scope.create(counts(part, hasher.buckets()), new Shape(batch, hasher.buckets()));
                        NDArray y = scope.create(java.util.Arrays.copyOfRange(labels, from, from + batch));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(x)).head();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(pred));
                            lossSum += loss.getFloat();
                            steps++;
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                }
                console.printf(
                        "language-id float: epoch %d/%d, mean loss %.4f over %d steps%n",
                        epoch + 1, epochs, lossSum / steps, steps);
            }
        }
        return new LanguageIdNet(model, hasher, dim);
    }

    static int[][] indices(List<DebianWordLists.Word> words, CharNgramHasher hasher) {
        int[][] idx = new int[words.size()][];
        for (int s = 0; s < idx.length; s++) {
            idx[s] = hasher.indices(words.get(s).text());
        }
        return idx;
    }

    /** The hasher. */
    public CharNgramHasher hasher() {
        return hasher;
    }

    /** Embedding dimension D. */
    public int dim() {
        return dim;
    }

    private float[] parameter(int layer, String name) {
        Block b = model.getBlock().getChildren().get(layer).getValue();
        return b.getParameters().get(name).getArray().toFloatArray();
    }

    /** The embedding table {@code [buckets][dim]}, row-major (the transpose of the first Linear's weight). */
    public float[] table() {
        float[] w = parameter(0, "weight"); // [dim][buckets]
        int r = hasher.buckets();
        float[] t = new float[w.length];
        for (int d = 0; d < dim; d++) {
            for (int k = 0; k < r; k++) {
                t[k * dim + d] = w[d * r + k];
            }
        }
        return t;
    }

    /** Classifier weight {@code [classes][dim]}. */
    public float[] classifierWeight() {
        return parameter(2, "weight");
    }

    /** Classifier bias {@code [classes]}. */
    public float[] classifierBias() {
        return parameter(2, "bias");
    }

    /** Float32 accuracy of the DJL network (evaluation mode) on {@code words}. */
    public double accuracy(List<DebianWordLists.Word> words) {
        int[][] idx = indices(words, hasher);
        int right = 0;
        int batch = 512;
        for (int from = 0; from < idx.length; from += batch) {
            int n = Math.min(batch, idx.length - from);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray x = scope.create(
                        counts(java.util.Arrays.copyOfRange(idx, from, from + n), hasher.buckets()),
                        new Shape(n, hasher.buckets()));
                NDArray out = model.getBlock()
                        .forward(new ParameterStore(scope, false), new NDList(x), false)
                        .head();
                long[] pred = out.argMax(1).toLongArray();
                for (int s = 0; s < n; s++) {
                    right += pred[s] == words.get(from + s).label() ? 1 : 0;
                }
            }
        }
        return (double) right / idx.length;
    }

    /** The DJL manager of the model (for the quantized twin's arrays). */
    NDManager manager() {
        return model.getNDManager();
    }

    @Override
    public void close() {
        model.close();
    }
}
