package org.qat4j.examples.run;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.SplittableRandom;
import org.qat4j.core.train.checkpoint.EpochContext;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;

/** A tiny MLP on synthetic 3-class data, for checkpoint and resume tests. */
final class TinyTraining {

    static final int FEATURES = 8;
    static final int CLASSES = 3;
    static final int SAMPLES = 384;
    static final int BATCH = 32;
    static final int STEPS_PER_EPOCH = SAMPLES / BATCH;

    private TinyTraining() {}

    static Model newModel() {
        Model model = Model.newInstance("tiny", "PyTorch");
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(CLASSES).build());
        model.setBlock(block);
        return model;
    }

    static TensorDataset dataset(EpochSeededSampler sampler) {
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[SAMPLES * FEATURES];
        float[] y = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            int c = i % CLASSES;
            y[i] = c;
            for (int f = 0; f < FEATURES; f++) {
                x[i * FEATURES + f] = (float) (random.nextGaussian() + (f % CLASSES == c ? 1.5 : 0));
            }
        }
        return TensorDataset.builder()
                .setData(x, new long[] {FEATURES}, y)
                .setSampling(sampler)
                .build();
    }

    static Trainer newTrainer(Model model, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(0.02f))
                        .build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(1, FEATURES));
        return trainer;
    }

    /**
     * One epoch; {@code nanAtBatch >= 0} poisons that batch's loss (to test the guard).
     */
    static EpochRecord trainEpoch(
            Trainer trainer,
            TensorDataset data,
            EpochSeededSampler sampler,
            EpochContext ctx,
            int nanAtBatch,
            long sleepMillisPerBatch)
            throws Exception {
        long start = System.nanoTime();
        sampler.setEpoch(ctx.epoch() - 1);
        double lossSum = 0;
        long batches = 0;
        long correct = 0;
        long seen = 0;
        for (Batch batch : trainer.iterateDataset(data)) {
            try (batch;
                    GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch.getData());
                NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                if (batches == nanAtBatch) {
                    loss = loss.mul(Float.NaN);
                }
                float value = loss.getFloat();
                ctx.checkLoss(batches, value);
                collector.backward(loss);
                NDArray labels = batch.getLabels().singletonOrThrow();
                correct += predictions
                        .singletonOrThrow()
                        .argMax(1)
                        .toType(labels.getDataType(), false)
                        .eq(labels)
                        .sum()
                        .getLong();
                seen += batch.getSize();
                lossSum += value;
                batches++;
            }
            trainer.step();
            if (sleepMillisPerBatch > 0) {
                Thread.sleep(sleepMillisPerBatch);
            }
        }
        return EpochRecord.of(
                ctx.epoch(),
                lossSum / batches,
                (double) correct / seen,
                Double.NaN,
                batches,
                (System.nanoTime() - start) / 1e9);
    }

    /** Sum of all parameter values in double, as an exact fingerprint of the weights. */
    static double parameterSum(Model model) {
        double sum = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                sum += v;
            }
        }
        return sum;
    }
}
