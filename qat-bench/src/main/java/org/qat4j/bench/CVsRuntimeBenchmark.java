package org.qat4j.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ScratchDirectory;
import org.qat4j.export.c.CBench;
import org.qat4j.export.c.CExporter;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TensorKind;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * {@code qat bench c}: the C export of a network ({@code gcc -O2 -ffp-contract=off}, timed inside C with
 * {@code clock_gettime}, {@link CBench}) against the Java integer runtime ({@link IntegerRuntime#runFloat},
 * one thread, timed with {@code System.nanoTime} and the thread's CPU time) on the same integer model and the same inputs, for the
 * networks of {@link BenchNetwork} (jets MLP, the default recipe's MLP, the A2Q+ CNN; calibrated, not
 * trained): latency (batch 1) and throughput (batch 256). Before any time is taken the C outputs of all
 * 256 samples are compared with the runtime's bit for bit; a difference stops the benchmark. Rounds
 * alternate C and Java (each about {@link #ROUND_SECONDS}), medians are reported, so load that drifts
 * hits both. Standard output: JSON lines {@code {"bench":"c","case":…,"a":C,"b":Java,"unit":"us/sample",
 * "ratio":a/b,…}} on CPU time (on a shared machine CPU time is what compares; wall times as {@code wall_a/wall_b}),
 * ratio below 1: C is faster; standard error: a Markdown table. Nothing is asserted.
 * Optional argument: rounds (default 7).
 */
public final class CVsRuntimeBenchmark {
    private static final int[] BATCHES = {1, 256};
    private static final double ROUND_SECONDS = 0.2;
    private static final int SAMPLES = 256;

    private CVsRuntimeBenchmark() {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Engine.getEngine("PyTorch").setRandomSeed(7);
        JniUtils.setNumThreads(1);
        List<String> table = new ArrayList<>();
        table.add(
                "| network, batch | C CPU µs/sample | Java runtime CPU µs/sample | C ÷ Java (CPU) | C wall µs/sample | Java wall µs/sample "
                        + "| C ÷ Java (wall) | load1 |");
        table.add("|---|---|---|---|---|---|---|---|");
        String only = System.getProperty("qat.bench.networks", "");
        for (BenchNetwork spec : BenchNetwork.all()) {
            if (only.isEmpty() || Arrays.stream(only.split(",")).anyMatch(spec.name()::contains)) {
                runNetwork(spec, rounds, table);
            }
        }
        System.err.println(
                "C: gcc " + String.join(" ", CExporter.FLAGS) + ", clock_gettime; Java: integer runtime, 1 thread, "
                        + "System.nanoTime; " + rounds + " alternating rounds of " + ROUND_SECONDS + " s, medians");
        table.forEach(System.err::println);
    }

    private static void runNetwork(BenchNetwork spec, int rounds, List<String> table) throws Exception {
        Random rnd = new Random(11);
        float[] data = new float[SAMPLES * spec.inputSize()];
        for (int t = 0; t < data.length; t++) {
            data[t] = spec.inputShape().length == 1 && spec.inputSize() == 16
                    ? (float) (rnd.nextGaussian() * 2)
                    : rnd.nextFloat();
        }
        IntegerModel im;
        try (Model qatModel = Model.newInstance("qat")) {
            var net = spec.quantized();
            qatModel.setBlock(net);
            im = spec.export(qatModel.getNDManager(), net, data, SAMPLES);
        }
        IntegerRuntime rt = IntegerRuntime.compile(im);
        boolean floatOut = im.tensor(im.outputName()).kind() == TensorKind.FLOAT;
        String cert = CertificateWriter.toJson(CertificateProver.prove(im));
        ByteBuffer in = ByteBuffer.allocate(data.length * 4).order(ByteOrder.nativeOrder());
        in.asFloatBuffer().put(data);
        try (ScratchDirectory scratch = ScratchDirectory.create("qat-bench-c", Map.of("in.f32", in.array()))) {
            Path dir = scratch.path();
            CExporter.export(
                    im,
                    CertifiedWidths.check(im, cert, "certificate"),
                    "m",
                    dir,
                    "benchmark",
                    "0".repeat(64),
                    "0".repeat(64));
            Path exe = CBench.build(dir, "m", floatOut);
            Path out = dir.resolve("out.bin");
            CBench.run(exe, dir.resolve("in.f32"), SAMPLES, 1, 0, out);
            // a time is reported only for a C model that computes what the runtime computes
            requireBitExact(Files.readAllBytes(out), rt, data, floatOut, spec.name());
            for (int batch : BATCHES) {
                float[] x = Arrays.copyOf(data, batch * spec.inputSize());
                double[][] c = new double[2][rounds];
                double[][] j = new double[2][rounds];
                javaMicros(rt, x, batch, 1.5);
                for (int r = 0; r < rounds; r++) {
                    double[] cr = CBench.run(exe, dir.resolve("in.f32"), SAMPLES, batch, ROUND_SECONDS, out);
                    double[] jr = javaMicros(rt, x, batch, ROUND_SECONDS);
                    for (int k = 0; k < 2; k++) {
                        c[k][r] = cr[k];
                        j[k][r] = jr[k];
                    }
                }
                double[] cm = {median(c[0]), median(c[1])};
                double[] jm = {median(j[0]), median(j[1])};
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                String what = spec.name() + ", batch " + batch;
                System.out.println(String.format(
                        Locale.ROOT,
                        "{\"bench\":\"c\",\"case\":\"%s, C (gcc -O2) vs Java integer runtime, CPU time\","
                                + "\"a\":%.4g,\"b\":%.4g,\"unit\":\"us/sample\",\"ratio\":%.4g,\"wall_a\":%.4g,\"wall_b\":%.4g,\"wall_ratio\":%.4g,"
                                + "\"threads\":1,\"load1\":%.2f,\"bit_exact_samples\":%d}",
                        what,
                        cm[1],
                        jm[1],
                        cm[1] / jm[1],
                        cm[0],
                        jm[0],
                        cm[0] / jm[0],
                        load,
                        SAMPLES));
                table.add(String.format(
                        Locale.ROOT,
                        "| %s | %.3g | %.3g | %.2f | %.3g | %.3g | %.2f | %.2f |",
                        what,
                        cm[1],
                        jm[1],
                        cm[1] / jm[1],
                        cm[0],
                        jm[0],
                        cm[0] / jm[0],
                        load));
            }
        }
    }

    /**
     * Microseconds per sample of the runtime over {@code batch} samples, calls repeated for at least {@code seconds}:
     * {wall (System.nanoTime), CPU of this thread (ThreadMXBean)}.
     */
    private static double[] javaMicros(IntegerRuntime rt, float[] x, int batch, double seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long calls = 0;
        long t;
        do {
            sink += rt.runFloat(x, batch)[0];
            calls++;
            t = System.nanoTime();
        } while (t - t0 < seconds * 1e9);
        long cpu = threads.getCurrentThreadCpuTime() - c0;
        return new double[] {(t - t0) / 1e3 / calls / batch, cpu / 1e3 / calls / batch};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static volatile float sink;

    private static void requireBitExact(byte[] c, IntegerRuntime rt, float[] data, boolean floatOut, String name)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.nativeOrder());
        if (floatOut) {
            float[] java = rt.runFloat(data, SAMPLES);
            if (c.length != java.length * 4) {
                throw new IOException(
                        name + ": the C driver wrote " + c.length + " bytes for " + java.length + " float outputs");
            }
            for (int i = 0; i < java.length; i++) {
                int cb = b.getInt(i * 4);
                if (cb != Float.floatToRawIntBits(java[i])) {
                    throw new IOException(name + ": output " + i + " differs: C " + Float.intBitsToFloat(cb)
                            + ", Java runtime " + java[i]);
                }
            }
        } else {
            long[] java = rt.runInt(data, SAMPLES);
            if (c.length != java.length * 8) {
                throw new IOException(
                        name + ": the C driver wrote " + c.length + " bytes for " + java.length + " integer outputs");
            }
            for (int i = 0; i < java.length; i++) {
                if (b.getLong(i * 8) != java[i]) {
                    throw new IOException(
                            name + ": output " + i + " differs: C " + b.getLong(i * 8) + ", Java runtime " + java[i]);
                }
            }
        }
    }
}
