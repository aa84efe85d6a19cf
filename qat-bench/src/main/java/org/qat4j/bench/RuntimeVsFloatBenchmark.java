package org.qat4j.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;

/**
 * {@code qat bench runtime}: the integer runtime against what a user would otherwise run, the plain
 * float32 network of the same shape in DJL (evaluation mode, no autograd) and in ONNX Runtime (one
 * intra-op thread), for the networks of {@link BenchNetwork#all()}: single-sample latency and batch-256
 * throughput. Rounds interleave the three contenders (each round runs every contender for about the
 * same wall time), so all see the same machine load; medians are printed with MACs per sample, GMAC/s,
 * the arithmetic the runtime chose per layer and the one-minute load average; beside the wall-clock medians,
 * the medians of the calling thread's CPU time (every contender computes on the calling thread).
 *
 * <p>Standard output: JSON lines {@code {"bench":"runtime","case":…,"a":runtime,"b":baseline,"unit":"us/sample","ratio":a/b,…}}
 * (ratio below 1: the runtime is faster), one per network, batch and baseline; standard error: a
 * Markdown table of the same figures. PyTorch is held to one thread ({@code torch.set_num_threads(1)}).
 * Nothing is asserted. Optional arguments: timed rounds (default 11); {@code --model FILE} (repeatable): also
 * an exported fixed-point MLP, against its float twin with the same weights ({@link ModelTwin}), e.g. the
 * trained default recipe, whose accumulators are narrower than the untrained networks'.
 */
public final class RuntimeVsFloatBenchmark {
    private static final int[] BATCHES = {1, 256};
    /** Wall time of one contender in one round. */
    private static final double ROUND_SECONDS = 0.04;

    private RuntimeVsFloatBenchmark() {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        int rounds = 11;
        List<java.nio.file.Path> models = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            if (args[a].equals("--model") && a + 1 < args.length) {
                models.add(java.nio.file.Path.of(args[++a]));
            } else {
                rounds = Integer.parseInt(args[a]);
            }
        }
        // the twins first: a file the benchmark cannot rebuild is refused before minutes of measuring
        List<IntegerModel> exported = new ArrayList<>();
        List<ModelTwin> twins = new ArrayList<>();
        for (java.nio.file.Path file : models) {
            IntegerModel m = ModelReader.read(file);
            try {
                twins.add(ModelTwin.of(m, file.toString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            exported.add(m);
        }
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(7);
        JniUtils.setNumThreads(1);
        List<String> table = new ArrayList<>();
        table.add(
                "| network, batch | MACs/sample | integer runtime µs/sample (GMAC/s) | DJL float32 | ONNX Runtime float32 | runtime ÷ DJL | runtime ÷ ORT"
                        + " | CPU µs/sample: runtime / DJL / ORT | CPU runtime ÷ ORT | load1 | runtime arithmetic |");
        table.add("|---|---|---|---|---|---|---|---|---|---|---|");
        // -Dqat.bench.networks=jets,784 runs only the networks whose names contain one of the words
        String only = System.getProperty("qat.bench.networks", "");
        for (BenchNetwork spec : BenchNetwork.all()) {
            if (only.isEmpty() || java.util.Arrays.stream(only.split(",")).anyMatch(spec.name()::contains)) {
                runNetwork(spec, rounds, table);
            }
        }
        for (int t = 0; t < twins.size(); t++) {
            runModel(twins.get(t), exported.get(t), rounds, table);
        }
        System.err.println("PyTorch threads " + JniUtils.getNumThreads()
                + ", ONNX Runtime intra-op threads 1, integer runtime 1 thread; " + rounds
                + " interleaved rounds, medians");
        table.forEach(System.err::println);
    }

    /** 256 samples: pixels in [0, 1) (no exact zeros: the runtime skips zero inputs, a float network does not); jet features N(0, 4). */
    private static float[] inputs(BenchNetwork spec) {
        Random rnd = new Random(11);
        float[] data = new float[256 * spec.inputSize()];
        for (int t = 0; t < data.length; t++) {
            data[t] = spec.inputShape().length == 1 && spec.inputSize() == 16
                    ? (float) (rnd.nextGaussian() * 2)
                    : rnd.nextFloat();
        }
        return data;
    }

    private static void runNetwork(BenchNetwork spec, int rounds, List<String> table) throws Exception {
        float[] data = inputs(spec);
        try (Model qatModel = Model.newInstance("qat");
                Model floatModel = Model.newInstance("float")) {
            NDManager qm = qatModel.getNDManager();
            SequentialBlock qat = spec.quantized();
            qatModel.setBlock(qat);
            IntegerModel im = spec.export(qm, qat, data, 256);
            NDManager fm = floatModel.getNDManager();
            SequentialBlock plain = spec.plainFloat();
            floatModel.setBlock(plain);
            plain.initialize(fm, DataType.FLOAT32, spec.batchShape(1));
            measure(spec, im, plain, fm, data, rounds, table);
        }
    }

    /** An exported model ({@code --model FILE}) against its float twin with the same weights ({@link ModelTwin}). */
    private static void runModel(ModelTwin twin, IntegerModel im, int rounds, List<String> table) throws Exception {
        BenchNetwork spec = twin.spec();
        try (Model floatModel = Model.newInstance("float")) {
            NDManager fm = floatModel.getNDManager();
            SequentialBlock plain = spec.plainFloat();
            floatModel.setBlock(plain);
            plain.initialize(fm, DataType.FLOAT32, spec.batchShape(1));
            twin.load(plain);
            measure(spec, im, plain, fm, inputs(spec), rounds, table);
        }
    }

    private static void measure(
            BenchNetwork spec,
            IntegerModel im,
            SequentialBlock plain,
            NDManager fm,
            float[] data,
            int rounds,
            List<String> table)
            throws Exception {
        IntegerRuntime rt = IntegerRuntime.compile(im);
        String arithmetic = rt.arithmetic().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        try (Contender integer = new IntegerContender(rt);
                Contender djl = new DjlFloatContender(spec, plain, fm);
                Contender ort = new OrtFloatContender(spec, OnnxFloatGraph.build(spec, plain))) {
            List<Contender> all = List.of(integer, djl, ort);
            long macs = spec.macsPerSample();
            for (int batch : BATCHES) {
                float[] x = Arrays.copyOf(data, batch * spec.inputSize());
                double[][] t = interleaved(all, x, batch, rounds);
                double[] us = t[0];
                double[] cpu = t[1];
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                String c = spec.name() + ", batch " + batch;
                print(
                        c + ", integer runtime vs DJL float32 eval",
                        us[0],
                        us[1],
                        cpu[0],
                        cpu[1],
                        macs,
                        load,
                        arithmetic);
                print(
                        c + ", integer runtime vs ONNX Runtime float32",
                        us[0],
                        us[2],
                        cpu[0],
                        cpu[2],
                        macs,
                        load,
                        arithmetic);
                table.add(String.format(
                        Locale.ROOT,
                        "| %s | %,d | %.3g (%.2f) | %.3g (%.2f) | %.3g (%.2f) | %.2f | %.2f | %.3g / %.3g / %.3g | %.2f | %.2f | %s |",
                        c,
                        macs,
                        us[0],
                        gmacs(macs, us[0]),
                        us[1],
                        gmacs(macs, us[1]),
                        us[2],
                        gmacs(macs, us[2]),
                        us[0] / us[1],
                        us[0] / us[2],
                        cpu[0],
                        cpu[1],
                        cpu[2],
                        cpu[0] / cpu[2],
                        load,
                        arithmetic));
            }
        }
    }

    private static double gmacs(long macs, double usPerSample) {
        return macs / usPerSample / 1e3;
    }

    /**
     * Medians, in µs per sample, of rounds that run each contender in turn for about {@link #ROUND_SECONDS}:
     * {@code [0]} wall time, {@code [1]} the calling thread's CPU time. All three contenders compute on the
     * calling thread (PyTorch and ONNX Runtime with one intra-op thread run their kernels inline), so CPU time
     * compares them without the time the shared machine's other processes take.
     */
    private static double[][] interleaved(List<Contender> contenders, float[] x, int batch, int rounds)
            throws Exception {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int[] iters = new int[contenders.size()];
        for (int c = 0; c < contenders.size(); c++) {
            Contender k = contenders.get(c);
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            int calls = 0;
            // warm-up, at least 1.5 s of this thread's CPU per contender (on a loaded machine wall time says little):
            // C2 compiles the runtime's (Vector API) kernels, whose interpreted and C1 code is ~100× slower; the
            // engines allocate
            while (threads.getCurrentThreadCpuTime() - c0 < 1_500_000_000L || calls < 20) {
                sink += k.run(x, batch)[0];
                calls++;
            }
            double perCall = (System.nanoTime() - t0) / 1e9 / calls;
            iters[c] = (int) Math.max(1, Math.round(ROUND_SECONDS / perCall));
        }
        double[][] v = new double[contenders.size()][rounds];
        double[][] cpu = new double[contenders.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < contenders.size(); c++) {
                Contender k = contenders.get(c);
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < iters[c]; i++) {
                    sink += k.run(x, batch)[0];
                }
                v[c][r] = (System.nanoTime() - t0) / 1e3 / iters[c] / batch;
                cpu[c][r] = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / iters[c] / batch;
            }
        }
        double[][] med = new double[2][contenders.size()];
        for (int c = 0; c < contenders.size(); c++) {
            Arrays.sort(v[c]);
            Arrays.sort(cpu[c]);
            med[0][c] = v[c][rounds / 2];
            med[1][c] = cpu[c][rounds / 2];
        }
        return med;
    }

    private static volatile float sink;

    private static void print(
            String what, double a, double b, double cpuA, double cpuB, long macs, double load, String arithmetic) {
        System.out.println(String.format(
                Locale.ROOT,
                "{\"bench\":\"runtime\",\"case\":\"%s\",\"a\":%.4g,\"b\":%.4g,\"unit\":\"us/sample\",\"ratio\":%.4g,\"cpu_a\":%.4g,"
                        + "\"cpu_b\":%.4g,\"cpu_ratio\":%.4g,\"macs\":%d,\"gmacs_a\":%.3g,\"gmacs_b\":%.3g,\"threads\":1,\"torch_threads\":%d,"
                        + "\"load1\":%.2f,\"arithmetic\":\"%s\"}",
                what,
                a,
                b,
                a / b,
                cpuA,
                cpuB,
                cpuA / cpuB,
                macs,
                gmacs(macs, a),
                gmacs(macs, b),
                JniUtils.getNumThreads(),
                load,
                arithmetic));
    }

    /** The integer runtime through its float32 interface (quantize in, dequantize out). */
    private record IntegerContender(IntegerRuntime rt) implements Contender {
        @Override
        public String name() {
            return "integer runtime";
        }

        @Override
        public float[] run(float[] input, int batch) {
            return rt.runFloat(input, batch);
        }
    }
}
