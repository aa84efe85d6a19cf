package org.qat4j.ptq.apply;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;

/**
 * A trained float MLP {@code 16 → 24 → ReLU → 24 → ReLU → 4} on a synthetic task (inputs in [0, 1] like pixels,
 * the label the arg-max of a fixed random linear map), for PTQ unit tests: trains in about a second.
 */
final class SmallFloatMlp implements AutoCloseable {

    static final int IN = 16;
    static final int CLASSES = 4;

    final Model model;
    final NDArray x;
    final NDArray y;

    SmallFloatMlp(long seed, int samples) {
        // DJL draws the initial weights from the engine's generator: seed it, so every run trains the same model
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        model = Model.newInstance("small-mlp");
        NDManager m = model.getNDManager();
        Random r = new Random(seed);
        float[] xs = new float[samples * IN];
        float[] map = new float[IN * CLASSES];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) r.nextGaussian();
        }
        float[] ys = new float[samples];
        for (int s = 0; s < samples; s++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < IN; i++) {
                xs[s * IN + i] = r.nextFloat();
            }
            for (int c = 0; c < CLASSES; c++) {
                double v = 0;
                for (int i = 0; i < IN; i++) {
                    v += map[i * CLASSES + c] * (xs[s * IN + i] - 0.5);
                }
                if (v > best) {
                    best = v;
                    ys[s] = c;
                }
            }
        }
        x = m.create(xs, new Shape(samples, IN));
        y = m.create(ys);
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(24).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(24).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
        model.setBlock(net);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(1e-2f))
                        .build());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(1, IN));
            for (int step = 0; step < 300; step++) {
                int from = (step * 64) % (samples - 64);
                try (NDManager scope = m.newSubManager()) {
                    NDArray xb = x.get(from + ":" + (from + 64));
                    NDArray yb = y.get(from + ":" + (from + 64));
                    scope.tempAttachAll(xb, yb);
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray pred = trainer.forward(new NDList(xb)).head();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(yb), new NDList(pred));
                        gc.backward(loss);
                    }
                    trainer.step();
                }
            }
        }
    }

    CalibrationSet calibration(int n) {
        return new CalibrationSet(x.get("0:" + n), y.get("0:" + n));
    }

    @Override
    public void close() {
        model.close();
    }
}
