package org.qat4j.hgq.export;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;

/**
 * Side-by-side speed of the exported integer runtime and the DJL float32 evaluation forward of the
 * same trained HGQ model, the jet-tagging shape 16-64-32-32-5 (arXiv 2405.00645 §11): single-sample
 * latency and batch-256 throughput, measured in one run, printed as JSON lines
 * {@code {"bench":"runtime","case":…,"a":runtime,"b":djl,"unit":"us/sample","ratio":a/b,"threads":N,"load1":L}}
 * (ratio < 1: the runtime is faster; L the one-minute load average at the end), plus the runtime's
 * single-sample latency against the 20 µs target. Medians of rounds that alternate between the two
 * contenders after warm-up, so both see the same load; nothing asserted.
 * Run with {@code -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1} on a shared machine.
 */
public final class RuntimeVsDjlBenchmark {
    private RuntimeVsDjlBenchmark() {}

    /** Entry point; optional argument: timed rounds (default 11). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "default");
        Random rnd = new Random(3);
        int n = 2048;
        float[] x = new float[n * 16];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = rnd.nextInt(5);
            y[s] = c;
            for (int i = 0; i < 16; i++) {
                x[s * 16 + i] = (float) (rnd.nextGaussian() + (i % 5 == c ? 1.5 : 0));
            }
        }
        try (Model model = Model.newInstance("bench"); NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(HDense.builder().setUnits(64).optActivation(HActivationType.RELU).build())
                    .add(HDense.builder().setUnits(32).optActivation(HActivationType.RELU).build())
                    .add(HDense.builder().setUnits(32).optActivation(HActivationType.RELU).build())
                    .add(HDense.builder().setUnits(5).build());
            model.setBlock(net);
            ArrayDataset train = new ArrayDataset.Builder().setData(m.create(x, new Shape(n, 16))).optLabels(m.create(y, new Shape(n)))
                    .setSampling(64, true).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build()))) {
                trainer.initialize(new Shape(64, 16));
                HgqCalibration.traceMinMax(net, m, train);
                QatTrainingLoop.builder().setTrainer(trainer).setEpochs(1).build().fit(train, null);
                HgqCalibration.traceMinMax(net, m, train);
            }
            IntegerModel im = HgqExporter.export(net, new Shape(16), "benchmark", 3, Map.of());
            IntegerRuntime rt = IntegerRuntime.compile(im);
            ParameterStore ps = new ParameterStore(m, false);
            float[] one = Arrays.copyOf(x, 16);
            float[] batch = Arrays.copyOf(x, 256 * 16);

            int singleIters = 2000;
            double[] single = sideBySide(rounds, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < singleIters * 10; i++) {
                    rt.runFloat(one, 1);
                }
                return (System.nanoTime() - t0) / 1e3 / (singleIters * 10);
            }, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < singleIters / 10; i++) {
                    try (NDManager s = m.newSubManager()) {
                        NDArray in = s.create(one, new Shape(1, 16));
                        net.forward(ps, new NDList(in), false).singletonOrThrow().toFloatArray();
                    }
                }
                return (System.nanoTime() - t0) / 1e3 / (singleIters / 10);
            });
            print("single-sample latency, integer runtime vs DJL float32 eval forward (16-64-32-32-5 HGQ)", single[0], single[1], "us/sample",
                    threads);
            print("single-sample latency of the 16-64-32-32-5 HGQ MLP, integer runtime vs the 20 us target", single[0], 20.0, "us/sample",
                    threads);

            int batchIters = 20;
            double[] batched = sideBySide(rounds, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < batchIters; i++) {
                    rt.runFloat(batch, 256);
                }
                return (System.nanoTime() - t0) / 1e3 / batchIters / 256;
            }, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < batchIters; i++) {
                    try (NDManager s = m.newSubManager()) {
                        NDArray in = s.create(batch, new Shape(256, 16));
                        net.forward(ps, new NDList(in), false).singletonOrThrow().toFloatArray();
                    }
                }
                return (System.nanoTime() - t0) / 1e3 / batchIters / 256;
            });
            print("batch-256 time per sample, integer runtime vs DJL float32 eval forward (16-64-32-32-5 HGQ)", batched[0], batched[1],
                    "us/sample", threads);
        }
    }

    private interface Round {
        double run();
    }

    /**
     * Medians of {@code a} and {@code b} over rounds that alternate between them (after warm-up), so
     * both see the same machine load.
     */
    private static double[] sideBySide(int rounds, Round a, Round b) {
        for (int w = 0; w < 3; w++) {
            a.run();
            b.run();
        }
        double[] va = new double[rounds];
        double[] vb = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            va[i] = a.run();
            vb[i] = b.run();
        }
        Arrays.sort(va);
        Arrays.sort(vb);
        return new double[] {va[rounds / 2], vb[rounds / 2]};
    }

    private static void print(String what, double a, double b, String unit, String threads) {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\":\"runtime\",\"case\":\"%s\",\"a\":%.4g,\"b\":%.4g,\"unit\":\"%s\",\"ratio\":%.4g,\"threads\":\"%s\",\"load1\":%.2f}",
                what, a, b, unit, a / b, threads, load));
    }
}
