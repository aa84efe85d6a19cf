package org.qat4j.convert;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.qat4j.core.train.QatTrainingLoop;

/** Separable synthetic classes (class c shifts every feature e with e % classes == c by +1.5) and a short training helper. */
final class SyntheticData {

    final float[] x;
    final float[] y;
    final Shape sample;
    final int n;

    SyntheticData(int n, Shape sample, int classes, long seed) {
        this.n = n;
        this.sample = sample;
        Random rnd = new Random(seed);
        int per = (int) sample.size();
        x = new float[n * per];
        y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = rnd.nextInt(classes);
            y[s] = c;
            for (int e = 0; e < per; e++) {
                x[s * per + e] = (float) (rnd.nextGaussian() + ((e % classes) == c ? 1.5 : 0));
            }
        }
    }

    Shape batchShape(long batch) {
        return new Shape(batch).addAll(sample);
    }

    NDArray features(NDManager m) {
        return m.create(x, batchShape(n));
    }

    ArrayDataset dataset(NDManager m) {
        return new ArrayDataset.Builder()
                .setData(features(m))
                .optLabels(m.create(y, new Shape(n)))
                .setSampling(32, true)
                .build();
    }

    /** The inputs in batches of 128, first batch first. */
    List<NDList> batches(NDManager m) {
        NDArray all = features(m);
        List<NDList> out = new ArrayList<>();
        for (int s = 0; s < n; s += 128) {
            out.add(new NDList(all.get(s + ":" + Math.min(n, s + 128))));
        }
        return out;
    }

    /** Trains the model's block for some epochs with Adam(0.01) through the QAT loop; returns the last mean task loss. */
    double train(Model model, int epochs) throws Exception {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(0.01f))
                        .build());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(batchShape(32));
            var s = QatTrainingLoop.builder()
                    .setTrainer(trainer)
                    .setEpochs(epochs)
                    .build()
                    .fit(dataset(model.getNDManager()), null);
            return s.get(s.size() - 1).meanTaskLoss();
        }
    }

    /** Evaluation-mode outputs for all samples. */
    NDArray predict(Block block, NDManager m) {
        return block.forward(new ParameterStore(m, false), new NDList(features(m)), false)
                .singletonOrThrow();
    }

    /** Fraction of samples whose argmax is the label. */
    double accuracy(Block block, NDManager m) {
        float[] pred = predict(block, m)
                .argMax(1)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .toFloatArray();
        int ok = 0;
        for (int s = 0; s < n; s++) {
            ok += pred[s] == y[s] ? 1 : 0;
        }
        return ok / (double) n;
    }
}
