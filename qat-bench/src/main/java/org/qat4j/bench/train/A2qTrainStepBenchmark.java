package org.qat4j.bench.train;

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
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.LossContributor;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Training-step time of an A2Q+ CNN against the same CNN from plain DJL blocks, measured side by side in one run
 * (steps interleaved in rotating order, medians of the timed steps after warm-up). CNN: conv 1→16 3×3, ReLU,
 * conv 16→32 3×3, ReLU, global average pool, linear 32→10; batch 64 of 1×28×28; A2Q+ with 8-bit weights, 8-bit
 * unsigned activations, P = 16 (arXiv 2401.10432). The data input's 8-bit quantizer has a calibrated fixed scale;
 * the two ReLU quantizers and the one after pooling learn theirs. A step is forward, loss (plus the A2Q norm penalty
 * for the quantized model), backward and the optimizer update.
 *
 * <p>A third model, the floor, is the plain CNN with a {@link FloorActivation} after each ReLU: the element-wise
 * passes any op-by-op fake quantizer with a learned step needs on the two large activation tensors, without the
 * weight quantizers. Its ratio to the plain CNN is what DJL's one-kernel-per-op execution costs at least.
 *
 * <p>Prints one JSON line: {@code {"bench":"train-a2q","a":ms A2Q+,"b":ms plain,"unit":"ms/step","ratio":a/b,
 * "threads":n, ...}} with, besides the wall-clock medians, the medians of the thread's CPU time per step
 * ({@code cpuA, cpuB, cpuRatio}: robust when other processes compete for the cores), the median of the per-step
 * ratios ({@code pairedRatio}), the floor ({@code floor, floorRatio, cpuFloorRatio}), the minor page faults per step
 * ({@code faultsA, faultsB, faultsFloor}; -1 where /proc is unavailable) and the load average. Page faults matter:
 * the C allocator returns large freed blocks to the system, and each fresh page of a 4.7 MB activation costs a
 * fault on first touch, which on a busy virtual machine can dominate a step.
 *
 * <p>Usage: {@code A2qTrainStepBenchmark [timedSteps=30] [warmupSteps=5] [seed=0]} (the seed fixes the
 * initial weights and data, so runs are comparable). The intra-op thread count is
 * {@code -Dai.djl.pytorch.num_threads} (default 1 here, set before the engine loads).
 */
public final class A2qTrainStepBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private A2qTrainStepBenchmark() {}

    /** One measured step: wall and thread CPU milliseconds, minor page faults of this thread. */
    record StepCost(double wallMs, double cpuMs, long faults) {}

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
                Model plain = Model.newInstance("float");
                Model floor = Model.newInstance("floor")) {
            quantized.setBlock(a2qPlusCnn());
            plain.setBlock(plainCnn());
            floor.setBlock(floorCnn());
            try (Trainer tq = trainer(quantized, input);
                    Trainer tp = trainer(plain, input);
                    Trainer tf = trainer(floor, input);
                    NDManager data = NDManager.newBaseManager()) {
                NDArray x = data.randomUniform(0f, 1f, input);
                NDArray y = data.randomInteger(0, 10, new Shape(64), ai.djl.ndarray.types.DataType.INT32)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                List<LossContributor> terms = BlockTrees.find(quantized.getBlock(), LossContributor.class);
                StepCost[][] cost = new StepCost[3][timed];
                for (int i = 0; i < warmup + timed; i++) {
                    for (int k = 0; k < 3; k++) { // rotate the order: no model always runs right after another
                        int m = (i + k) % 3;
                        StepCost c = m == 0
                                ? step(tq, x, y, terms)
                                : m == 1 ? step(tp, x, y, List.of()) : step(tf, x, y, List.of());
                        if (i >= warmup) {
                            cost[m][i - warmup] = c;
                        }
                    }
                }
                report(cost, threads);
            }
        }
    }

    private static void report(StepCost[][] cost, String threads) {
        double[][] wall = new double[3][];
        double[][] cpu = new double[3][];
        double[][] faults = new double[3][];
        for (int m = 0; m < 3; m++) {
            wall[m] = Arrays.stream(cost[m]).mapToDouble(StepCost::wallMs).toArray();
            cpu[m] = Arrays.stream(cost[m]).mapToDouble(StepCost::cpuMs).toArray();
            faults[m] = Arrays.stream(cost[m]).mapToDouble(StepCost::faults).toArray();
        }
        double[] paired = new double[wall[0].length];
        for (int i = 0; i < paired.length; i++) {
            paired[i] = wall[0][i] / wall[1][i];
        }
        double ma = median(wall[0]);
        double mb = median(wall[1]);
        double mf = median(wall[2]);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(
                Locale.ROOT,
                "{\"bench\":\"train-a2q\",\"a\":%.3f,\"b\":%.3f,\"unit\":\"ms/step\",\"ratio\":%.3f,"
                        + "\"threads\":%s,\"cpuA\":%.3f,\"cpuB\":%.3f,\"cpuRatio\":%.3f,\"pairedRatio\":%.3f,"
                        + "\"floor\":%.3f,\"floorRatio\":%.3f,\"cpuFloorRatio\":%.3f,"
                        + "\"faultsA\":%.0f,\"faultsB\":%.0f,\"faultsFloor\":%.0f,\"load\":%.2f}%n",
                ma,
                mb,
                ma / mb,
                threads,
                median(cpu[0]),
                median(cpu[1]),
                median(cpu[0]) / median(cpu[1]),
                median(paired),
                mf,
                mf / mb,
                median(cpu[2]) / median(cpu[1]),
                median(faults[0]),
                median(faults[1]),
                median(faults[2]),
                load);
        // diagnostics for a shared machine: the fastest steps are the least disturbed by other processes
        double minA = Arrays.stream(wall[0]).min().orElse(Double.NaN);
        double minB = Arrays.stream(wall[1]).min().orElse(Double.NaN);
        double minF = Arrays.stream(wall[2]).min().orElse(Double.NaN);
        System.err.printf(
                Locale.ROOT,
                "fastest steps: a=%.3f ms, b=%.3f ms, floor=%.3f ms, ratio %.3f, floor ratio"
                        + " %.3f; system load average %.2f on %d cores%n",
                minA,
                minB,
                minF,
                minA / minB,
                minF / minB,
                load,
                Runtime.getRuntime().availableProcessors());
    }

    static Trainer trainer(Model model, Shape input) {
        Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd()
                        .setLearningRateTracker(Tracker.fixed(0.01f))
                        .build()));
        t.initialize(input);
        return t;
    }

    /** One training step: wall and CPU time of this thread, and its minor page faults. */
    static StepCost step(Trainer trainer, NDArray x, NDArray y, List<LossContributor> terms) {
        long faults = minorFaults();
        long cpu = THREADS.getCurrentThreadCpuTime();
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
        double wall = (System.nanoTime() - start) / 1e6;
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
        long after = minorFaults();
        return new StepCost(wall, cpuMs, faults < 0 || after < 0 ? -1 : after - faults);
    }

    /** Minor page faults of the calling thread so far (field 10 of /proc/thread-self/stat), or -1. */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // the command name (field 2) may contain spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static Block plainCnn() {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(16)
                        .build())
                .add(Activation::relu)
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(32)
                        .build())
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    static Block floorCnn() {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(16)
                        .build())
                .add(new FloorActivation(8))
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(32)
                        .build())
                .add(new FloorActivation(8))
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    static Block a2qPlusCnn() {
        // the data input's quantizer has a calibrated, fixed scale (images are 8-bit data); activations learn theirs
        QIdentity in = new QIdentity(ActivationQuantizer.builder()
                .setBits(8)
                .optSigned(false)
                .optTrainableScale(false)
                .build());
        QReLU r1 = QReLU.of(8);
        QReLU r2 = QReLU.of(8);
        QIdentity pooled = QIdentity.unsigned(8);
        return new SequentialBlock()
                .add(in)
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(16)
                        .setVariant(Variant.A2Q_PLUS)
                        .setWeightBits(8)
                        .optAccumulatorBits(16)
                        .optInputFrom(in)
                        .build())
                .add(r1)
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(32)
                        .setVariant(Variant.A2Q_PLUS)
                        .setWeightBits(8)
                        .optAccumulatorBits(16)
                        .optInputFrom(r1)
                        .build())
                .add(r2)
                .add(Pool.globalAvgPool2dBlock())
                .add(pooled)
                .add(QLinear.builder()
                        .setUnits(10)
                        .setVariant(Variant.A2Q_PLUS)
                        .setWeightBits(8)
                        .optAccumulatorBits(16)
                        .optInputFrom(pooled)
                        .build());
    }
}
