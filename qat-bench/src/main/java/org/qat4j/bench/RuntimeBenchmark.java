package org.qat4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.qat4j.export.ScratchDirectory;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Measures the pure-Java integer runtime and the certificate checker, and prints one JSON line per
 * measurement: {@code {"bench":"runtime"|"checker","case":…,"a":measured,"b":target,"unit":…,"ratio":a/b,"threads":1}}.
 * Cases: single-sample latency and batch-256 throughput of the HGQ jet-tagging shape 16-64-32-32-5
 * (arXiv 2405.00645 §11; target ≤ 20 µs/sample), and checker speed in weights per second on a model
 * with about 1 million weights (target ≥ 150 million weights/s, issue 15). Times are medians of repeated
 * rounds after warm-up; nothing is asserted.
 *
 * <p>Run: {@code java -cp qat-runtime/target/classes:$(gson jar) org.qat4j.runtime.bench.RuntimeBenchmark [rounds]}.
 */
public final class RuntimeBenchmark {
    private RuntimeBenchmark() {}

    /** Entry point; optional argument: number of timed rounds (default 15). */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        IntegerModel mlp = jetMlp(1);
        IntegerRuntime rt = IntegerRuntime.compile(mlp);
        Random rnd = new Random(5);
        float[] one = new float[16];
        float[] batch = new float[256 * 16];
        for (int t = 0; t < batch.length; t++) {
            batch[t] = (float) rnd.nextGaussian() * 2;
        }
        System.arraycopy(batch, 0, one, 0, 16);

        int singleIters = 20_000;
        double singleUs = median(rounds, () -> {
            long t0 = System.nanoTime();
            float sink = 0;
            for (int i = 0; i < singleIters; i++) {
                sink += rt.runFloat(one, 1)[0];
            }
            blackhole(sink);
            return (System.nanoTime() - t0) / 1e3 / singleIters;
        });
        print("runtime", "mlp 16-64-32-32-5 single-sample latency vs 20 us target", singleUs, 20.0, "us/sample");

        int batchIters = 200;
        double batchUs = median(rounds, () -> {
            long t0 = System.nanoTime();
            float sink = 0;
            for (int i = 0; i < batchIters; i++) {
                sink += rt.runFloat(batch, 256)[0];
            }
            blackhole(sink);
            return (System.nanoTime() - t0) / 1e3 / batchIters / 256;
        });
        print("runtime", "mlp 16-64-32-32-5 batch-256 per-sample time vs 20 us target", batchUs, 20.0, "us/sample");

        IntegerModel big = bigModel();
        String cert = CertificateWriter.toJson(CertificateProver.prove(big));
        long weights = CertificateChecker.check(big, cert).weightsChecked();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        // two seconds of checks first: a check is one long call, so five warm-up rounds leave it to the interpreter and
        // OSR
        for (long end = System.nanoTime() + 2_000_000_000L; System.nanoTime() < end; ) {
            CertificateChecker.check(big, cert);
        }
        double seconds = median(rounds, () -> {
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            CheckReport r = CertificateChecker.check(big, cert);
            if (!r.holds()) {
                throw new IllegalStateException(r.table());
            }
            long t1 = System.nanoTime();
            cpuTimes.add((cpu.getCurrentThreadCpuTime() - c0) / 1e9);
            return (t1 - t0) / 1e9;
        });
        print(
                "checker",
                "independent checker on " + weights + " weights (parse + recompute + SHA-256), wall-clock median",
                weights / seconds,
                150e6,
                "weights/s");
        // the timed rounds only, not the warm-up rounds median() runs first
        double[] c = cpuTimes.subList(cpuTimes.size() - rounds, cpuTimes.size()).stream()
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        // thread CPU time: what the checker costs when it has a core to itself (less sensitive to a loaded machine)
        print(
                "checker",
                "independent checker on " + weights + " weights, thread-CPU-time median",
                weights / c[c.length / 2],
                150e6,
                "weights/s");

        // what `qat verify` runs: both files read from disk (the model file's weights are base64 in JSON)
        byte[] modelBytes = ModelWriter.toJson(big).getBytes(StandardCharsets.UTF_8);
        try (ScratchDirectory scratch = ScratchDirectory.create(
                "qat-bench-checker",
                Map.of("model.json", modelBytes, "certificate.json", cert.getBytes(StandardCharsets.UTF_8)))) {
            Path modelFile = scratch.path().resolve("model.json");
            Path certFile = scratch.path().resolve("certificate.json");
            double fileCpu = median(rounds, () -> {
                long c0 = cpu.getCurrentThreadCpuTime();
                CheckReport r;
                try {
                    r = CertificateChecker.check(modelFile, certFile);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!r.holds()) {
                    throw new IllegalStateException(r.table());
                }
                return (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
            });
            print(
                    "checker",
                    "independent checker from the two files (model " + modelBytes.length
                            + " bytes + certificate), thread-CPU-time median",
                    weights / fileCpu,
                    150e6,
                    "weights/s");
        }
    }

    private static final java.util.List<Double> cpuTimes = new java.util.ArrayList<>();

    private interface Round {
        double run();
    }

    private static double median(int rounds, Round r) {
        for (int w = 0; w < 5; w++) {
            r.run();
        }
        double[] v = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            v[i] = r.run();
        }
        Arrays.sort(v);
        return v[rounds / 2];
    }

    private static volatile float sinkField;

    private static void blackhole(float f) {
        sinkField = f;
    }

    private static void print(String bench, String what, double a, double b, String unit) {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
        System.out.println(String.format(
                Locale.ROOT,
                "{\"bench\":\"%s\",\"case\":\"%s\",\"a\":%.4g,\"b\":%.4g,\"unit\":\"%s\",\"ratio\":%.4g,\"threads\":1,\"load1\":%.2f}",
                bench,
                what,
                a,
                b,
                unit,
                a / b,
                load));
    }

    /** An HGQ-style 16-64-32-32-5 MLP: per-element input formats, 8-bit weights, per-element activation formats. */
    public static IntegerModel jetMlp(long seed) {
        Random rnd = new Random(seed);
        int[] sizes = {16, 64, 32, 32, 5};
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 16);
        b.addOp(new QuantizeFixedOp("q0", "x", formats(rnd, 16, 1, 4), RoundingMode.RND, OverflowMode.SAT));
        String prev = "q0";
        for (int l = 1; l < sizes.length; l++) {
            int[] w = new int[sizes[l - 1] * sizes[l]];
            for (int t = 0; t < w.length; t++) {
                w[t] = rnd.nextInt(255) - 127;
            }
            long[] bias = new long[sizes[l]];
            for (int t = 0; t < bias.length; t++) {
                bias[t] = rnd.nextInt(4001) - 2000;
            }
            b.addOp(new DenseOp("dense" + l, prev, sizes[l - 1], sizes[l], w, bias, 64, null));
            if (l == sizes.length - 1) {
                b.addOp(new DequantizeFixedOp("out", "dense" + l, new int[] {11}));
            } else {
                b.addOp(new ReluOp("relu" + l, "dense" + l));
                b.addOp(new RequantizeFixedOp(
                        "q" + l,
                        "relu" + l,
                        new int[] {11},
                        formats(rnd, sizes[l], 0, 4),
                        RoundingMode.RND,
                        OverflowMode.SAT));
                prev = "q" + l;
            }
        }
        return AccumulatorWidths.deriveMinimal(b.setOutput("out").build());
    }

    private static FixedFormats formats(Random rnd, int n, int k, int f) {
        int[] kk = new int[n];
        int[] ii = new int[n];
        int[] ff = new int[n];
        for (int e = 0; e < n; e++) {
            kk[e] = k;
            ff[e] = f;
            ii[e] = rnd.nextInt(4);
        }
        return FixedFormats.of(kk, ii, ff, "bench");
    }

    private static IntegerModel bigModel() {
        Random rnd = new Random(9);
        int[] wc = new int[64 * 32 * 9];
        for (int t = 0; t < wc.length; t++) {
            wc[t] = rnd.nextInt(255) - 127;
        }
        int[] wd = new int[1024 * 1024];
        for (int t = 0; t < wd.length; t++) {
            wd[t] = rnd.nextInt(255) - 127;
        }
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 32, 4, 8)
                .addOp(new QuantizeFixedOp(
                        "q0",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {3}, new int[] {4}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new ConvOp(
                        "conv",
                        "q0",
                        32,
                        64,
                        new int[] {3, 3},
                        new int[] {1, 1},
                        new int[] {1, 1},
                        new int[] {1, 1},
                        wc,
                        null,
                        64,
                        null))
                .addOp(new RequantizeFixedOp(
                        "q1",
                        "conv",
                        new int[] {8},
                        FixedFormats.of(new int[] {1}, new int[] {3}, new int[] {4}, "f"),
                        RoundingMode.RND,
                        OverflowMode.WRAP))
                .addOp(new FlattenOp("flat", "q1"))
                .addOp(new DequantizeFixedOp("f2", "flat", new int[] {4}));
        // a dense 1024 x 1024 on a second quantizer of the same input keeps the graph a chain for the reader
        IntegerModel.Builder c = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 1024)
                .addOp(new QuantizeFixedOp(
                        "q0",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {3}, new int[] {4}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new DenseOp("dense", "q0", 1024, 1024, wd, null, 64, null))
                .addOp(new DequantizeFixedOp("out", "dense", new int[] {8}));
        b.setOutput("f2");
        return AccumulatorWidths.deriveMinimal(c.setOutput("out").build());
    }
}
