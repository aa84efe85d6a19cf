package org.qat4j.a2q.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.List;
import org.qat4j.a2q.kernel.A2qVariant;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.LossContributor;

/**
 * Training-step time of an A2Q+ CNN against the same CNN from plain DJL blocks, measured side by side in one run
 * (steps interleaved, median of the timed steps after warm-up). CNN: conv 1→16 3×3, ReLU, conv 16→32 3×3, ReLU,
 * global average pool, linear 32→10; batch 64 of 1×28×28; A2Q+ with 8-bit weights, 8-bit unsigned activations,
 * P = 16 (arXiv 2401.10432). The data input's 8-bit quantizer has a calibrated fixed scale; the two ReLU
 * quantizers and the one after pooling learn theirs. A step is forward, loss (plus the A2Q norm penalty for the quantized model), backward
 * and the optimizer update. Prints one JSON line:
 * {@code {"bench":"train-a2q","a":ms A2Q+,"b":ms plain,"unit":"ms/step","ratio":a/b,"threads":n}}.
 *
 * <p>Usage: {@code A2qTrainStepBenchmark [timedSteps=30] [warmupSteps=5] [seed=0]} (the seed fixes the
 * initial weights and data, so runs are comparable). The intra-op thread count is
 * {@code -Dai.djl.pytorch.num_threads} (default 1 here, set before the engine loads).
 */
public final class A2qTrainStepBenchmark {

    private A2qTrainStepBenchmark() {
    }

    public static void main(String[] args) {
        int timed = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seed = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        if (timed < 20) {
            throw new IllegalArgumentException("timedSteps must be >= 20, got " + timed);
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        Engine.getInstance().setRandomSeed(seed);
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        Shape input = new Shape(64, 1, 28, 28);
        try (Model quantized = Model.newInstance("a2q+");
                Model plain = Model.newInstance("float")) {
            quantized.setBlock(a2qPlusCnn());
            plain.setBlock(plainCnn());
            try (Trainer tq = trainer(quantized, input);
                    Trainer tp = trainer(plain, input);
                    NDManager data = NDManager.newBaseManager()) {
                NDArray x = data.randomUniform(0f, 1f, input);
                NDArray y = data.randomInteger(0, 10, new Shape(64), ai.djl.ndarray.types.DataType.INT32)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                List<LossContributor> terms = BlockTrees.find(quantized.getBlock(), LossContributor.class);
                double[] a = new double[timed];
                double[] b = new double[timed];
                for (int i = 0; i < warmup + timed; i++) {
                    double ta = step(tq, x, y, terms);
                    double tb = step(tp, x, y, List.of());
                    if (i >= warmup) {
                        a[i - warmup] = ta;
                        b[i - warmup] = tb;
                    }
                }
                double ma = median(a);
                double mb = median(b);
                System.out.printf(java.util.Locale.ROOT,
                        "{\"bench\":\"train-a2q\",\"a\":%.3f,\"b\":%.3f,\"unit\":\"ms/step\",\"ratio\":%.3f,"
                                + "\"threads\":%s}%n", ma, mb, ma / mb, threads);
                // diagnostics for a shared machine: the fastest steps are the least disturbed by other processes
                double minA = Arrays.stream(a).min().orElse(Double.NaN);
                double minB = Arrays.stream(b).min().orElse(Double.NaN);
                System.err.printf(java.util.Locale.ROOT, "fastest steps: a=%.3f ms, b=%.3f ms, ratio %.3f; system load"
                        + " average %.2f on %d cores%n", minA, minB, minA / minB,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        Runtime.getRuntime().availableProcessors());
            }
        }
    }

    static Trainer trainer(Model model, Shape input) {
        Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build()));
        t.initialize(input);
        return t;
    }

    /** One training step in milliseconds. */
    static double step(Trainer trainer, NDArray x, NDArray y, List<LossContributor> terms) {
        long start = System.nanoTime();
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray bx = x.duplicate();
            NDArray by = y.duplicate();
            bx.attach(batch);
            by.attach(batch);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray pred = trainer.forward(new NDList(bx)).head();
                NDArray loss = trainer.getLoss().evaluate(new NDList(by), new NDList(pred));
                for (LossContributor c : terms) {
                    loss = loss.add(c.lossTerm(batch));
                }
                gc.backward(loss);
            }
            trainer.step();
        }
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static Block plainCnn() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    static Block a2qPlusCnn() {
        // the data input's quantizer has a calibrated, fixed scale (images are 8-bit data); activations learn theirs
        QIdentity in = new QIdentity(ActivationQuantizer.builder().setBits(8).optSigned(false)
                .optTrainableScale(false).build());
        QReLU r1 = QReLU.of(8);
        QReLU r2 = QReLU.of(8);
        QIdentity pooled = QIdentity.unsigned(8);
        return new SequentialBlock()
                .add(in)
                .add(QConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).setVariant(A2qVariant.A2Q_PLUS)
                        .setWeightBits(8).optAccumulatorBits(16).optInputFrom(in).build())
                .add(r1)
                .add(QConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).setVariant(A2qVariant.A2Q_PLUS)
                        .setWeightBits(8).optAccumulatorBits(16).optInputFrom(r1).build())
                .add(r2)
                .add(Pool.globalAvgPool2dBlock())
                .add(pooled)
                .add(QLinear.builder().setUnits(10).setVariant(A2qVariant.A2Q_PLUS).setWeightBits(8)
                        .optAccumulatorBits(16).optInputFrom(pooled).build());
    }
}
