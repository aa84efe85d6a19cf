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
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.LossContributor;
import org.qat4j.core.train.StepConstraint;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.nn.HgqLayer;

/**
 * Training-step time of an HGQ MLP 784-256-128-10 (arXiv 2405.00645) with per-weight kernel bits,
 * per-input activation bits and the β·EBOPs + bit-L1 loss terms, against the same MLP built from DJL
 * {@code Linear} layers, and against a lower bound: the float MLP carrying the same bit tensors into the
 * graph with the fewest recorded operations and no quantization arithmetic ({@link BitCarryingLinear}).
 * The three are measured side by side in one run (alternating, median of each after warm-up) with the
 * same Adam optimizer. Prints one JSON line:
 * {@code {"bench":"train-hgq","a":<hgq ms>,"b":<djl ms>,"unit":"ms/step","ratio":a/b,
 * "floor":<lower bound ms>,"floor_ratio":floor/b,"threads":N,...}}.
 *
 * <p>Arguments (optional): {@code steps} (default 40, at least 20), {@code warmup} (default 10).
 * Run with {@code -Dai.djl.pytorch.num_threads=1} on a shared machine; the thread setting is printed.
 * Every fresh weight- or batch-sized temporary costs page faults where the allocator returns freed blocks
 * to the system (glibc's default, expensive in sandboxed kernels);
 * {@code MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296} removes that cost. The
 * setting is printed with the result.
 *
 * <p>Last measured (2 shared cores, load average 21-31 from other jobs, 1 torch thread, 40 steps, runs
 * alternated with the previous implementation): HGQ 7.2-14.0× the float step with glibc's defaults
 * (previous implementation 9.7-16.3×), 3.0-4.7× with the malloc settings above (previous 2.9-4.6×),
 * the lower bound 1.6-2.6× and 1.3-1.7×; at that load the medians of the two implementations overlap.
 * Counted with the PyTorch profiler, per step the HGQ MLP allocates 70 arrays of 100 KB or more (28 MB;
 * previous 110, 46 MB; the float MLP 23, 8.5 MB; the lower bound 41, 16.6 MB) and issues about 780
 * engine operations (previous 707; float 113; lower bound 227).
 */
public final class HgqTrainStepBenchmark {

    private static final int BATCH = 256;

    private HgqTrainStepBenchmark() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (steps < 20) {
            throw new IllegalArgumentException("steps must be >= 20 for a stable median, got " + steps);
        }
        Engine.getInstance().setRandomSeed(1);
        try (Model hgq = Model.newInstance("hgq-mlp");
                Model djl = Model.newInstance("djl-mlp");
                Model floor = Model.newInstance("floor-mlp");
                NDManager data = NDManager.newBaseManager()) {
            hgq.setBlock(hgqMlp());
            djl.setBlock(djlMlp());
            floor.setBlock(floorMlp());
            NDArray x = data.randomNormal(new Shape(BATCH, 784));
            NDArray y = data.randomInteger(0, 10, new Shape(BATCH), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            try (Trainer a = newTrainer(hgq);
                    Trainer b = newTrainer(djl);
                    Trainer c = newTrainer(floor)) {
                BlockTrees.find(hgq.getBlock(), HgqLayer.class).forEach(l -> l.setBeta(1e-6));
                double[] ta = new double[steps];
                double[] tb = new double[steps];
                double[] tc = new double[steps];
                for (int s = -warmup; s < steps; s++) {
                    double da = step(a, x, y);
                    double db = step(b, x, y);
                    double dc = step(c, x, y);
                    if (s >= 0) {
                        ta[s] = da;
                        tb[s] = db;
                        tc[s] = dc;
                    }
                }
                double ma = median(ta);
                double mb = median(tb);
                double mc = median(tc);
                String threads = System.getProperty("ai.djl.pytorch.num_threads", "default");
                String trim = System.getenv().getOrDefault("MALLOC_TRIM_THRESHOLD_", "default");
                System.out.println(String.format(
                        Locale.ROOT,
                        "{\"bench\":\"train-hgq\",\"a\":%.3f,\"b\":%.3f,\"unit\":\"ms/step\",\"ratio\":%.3f,"
                                + "\"floor\":%.3f,\"floor_ratio\":%.3f,"
                                + "\"threads\":\"%s\",\"steps\":%d,\"batch\":%d,\"malloc_trim_threshold\":\"%s\"}",
                        ma,
                        mb,
                        ma / mb,
                        mc,
                        mc / mb,
                        threads,
                        steps,
                        BATCH,
                        trim));
            }
        }
    }

    static Block hgqMlp() {
        return new SequentialBlock()
                .add(HDense.builder()
                        .setUnits(256)
                        .optActivation(HActivationType.RELU)
                        .build())
                .add(HDense.builder()
                        .setUnits(128)
                        .optActivation(HActivationType.RELU)
                        .build())
                .add(HDense.builder().setUnits(10).build());
    }

    static Block djlMlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(256).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    static Block floorMlp() {
        return new SequentialBlock()
                .add(new BitCarryingLinear(256, true))
                .add(new BitCarryingLinear(128, true))
                .add(new BitCarryingLinear(10, false));
    }

    private static Trainer newTrainer(Model model) {
        Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(1e-3f))
                        .build()));
        t.initialize(new Shape(BATCH, 784));
        return t;
    }

    /** One step as {@code QatTrainingLoop} runs it; returns milliseconds. */
    private static double step(Trainer trainer, NDArray x, NDArray y) {
        Block root = trainer.getModel().getBlock();
        List<LossContributor> contributors = BlockTrees.find(root, LossContributor.class);
        List<StepConstraint> constraints = BlockTrees.find(root, StepConstraint.class);
        long t0 = System.nanoTime();
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray xb = x.duplicate();
            NDArray yb = y.duplicate();
            xb.attach(batch);
            yb.attach(batch);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(xb), new NDList(yb));
                NDArray loss = trainer.getLoss().evaluate(new NDList(yb), pred);
                for (LossContributor c : contributors) {
                    loss = loss.add(c.lossTerm(batch));
                }
                gc.backward(loss);
            }
            trainer.step();
            if (!constraints.isEmpty()) {
                try (NoGradScope ignored = NoGradScope.open()) {
                    constraints.forEach(StepConstraint::afterStep);
                }
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
