package org.qat4j.runtime.jit;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.qat4j.runtime.bound.AccumulatorBudget;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.fixed.SparqWindow;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.EmbeddingModels;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.MultipointModels;
import org.qat4j.runtime.model.SparqModels;
import org.qat4j.runtime.model.TensorKind;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * The program {@link JitRegimesTest} runs in child JVMs, one scenario per JVM so that every scenario
 * starts from empty profiles: it drives the runtime's exact code (fixed point, every op kind of the
 * integer runtime, prover, checker) in an order chosen to pollute C2's profiles, and writes every
 * result, in order, to a file. Under {@code -Xint} the file is the oracle; under any compiler it must
 * be the same bytes. Usage: {@code JitWorkload SCENARIO OUTPUT_FILE}.
 *
 * <p>Each scenario is deterministic: fixed seeds, no clocks in the results. The short sleeps let
 * background compilations finish, so that the calls after them run compiled code whose profile has
 * never seen them (the situation of HotSpot bug JDK-8376400).
 */
public final class JitWorkload {

    /** Scenario names, in the order the test runs them. */
    public static final List<String> SCENARIOS = List.of(
            "wrap-hot-then-sat",
            "sat-hot-then-wrap",
            "all-modes",
            "runtime-pruned-wrap-first",
            "runtime-sat-first",
            "axe-budget",
            "exact-kernels",
            "sparq-windows");

    private static final long EXCEPTION = 0x5EEDBADL << 32;
    private static final FixedFormat PRUNED = FixedFormat.signed(-3, 2);

    private final Map<String, List<Long>> phases = new LinkedHashMap<>();
    private List<Long> current;

    private JitWorkload() {}

    public static void main(String[] args) throws Exception {
        JitWorkload w = new JitWorkload();
        switch (args[0]) {
            case "wrap-hot-then-sat" -> w.wrapHotThenSat();
            case "sat-hot-then-wrap" -> w.satHotThenWrap();
            case "all-modes" -> w.allModes();
            case "runtime-pruned-wrap-first" -> w.runtimePrunedWrapFirst();
            case "runtime-sat-first" -> w.runtimeSatFirst();
            case "axe-budget" -> w.axeBudget();
            case "exact-kernels" -> w.exactKernels();
            case "sparq-windows" -> w.sparqWindows();
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        w.write(Path.of(args[1]));
    }

    /**
     * The dense/conv kernels of every arithmetic, scalar and Vector API (org.qat4j.runtime.exec.MatMul):
     * a warm-up of random layers, then fresh layers whose sizes and arithmetics the profiles have not seen.
     */
    private void exactKernels() throws InterruptedException {
        phase("random layers, every arithmetic, scalar and vector (warm-up)");
        org.qat4j.runtime.exec.ExactKernelsWorkload.run(101, 150, this::record);
        pause();
        phase("fresh random layers after the warm-up");
        org.qat4j.runtime.exec.ExactKernelsWorkload.run(202, 60, this::record);
        phase("fast quantize/requantize kernels, RND/TRN and SAT hot, then every mode");
        org.qat4j.runtime.exec.ExactKernelsWorkload.quantizers(303, 3000, this::record);
    }

    /**
     * SPARQ's window selection (org.qat4j.runtime.fixed.SparqWindow) and the runtime's sparq op: truncating 5-option windows
     * on 8-bit values hot, then every other variant, wider inputs, and the op with vSPARQ pairs whose zero branch was rare.
     */
    private void sparqWindows() throws InterruptedException {
        phase("8-bit 5opt truncation hot");
        SparqWindow hot = new SparqWindow(8, 4, SparqWindow.placements(8, 4, 5), false);
        for (int round = 0; round < 400; round++) {
            for (long x = 0; x < 256; x++) {
                record(hot.trim(x));
            }
        }
        runModel("sparq pairs, few zeros", SparqModels.conv(31, 5, false, false), 300, 31);
        pause();
        phase("every variant after the warm-up");
        for (int count : new int[] {5, 3, 2}) {
            for (boolean rounding : new boolean[] {false, true}) {
                SparqWindow t = new SparqWindow(8, 4, SparqWindow.placements(8, 4, count), rounding);
                for (long x = 0; x < 256; x++) {
                    record(t.trim(x));
                }
            }
        }
        for (int bits = 9; bits <= 12; bits++) {
            SparqWindow t = new SparqWindow(bits, 3, SparqWindow.placements(bits, 3, bits - 2), true); // every shift
            for (long x = 0; x < (1L << bits); x++) {
                record(t.trim(x));
            }
        }
        for (int count : new int[] {5, 3, 2}) {
            runModel("sparq pair " + count, SparqModels.pair(count, true, true), 60, count);
            runModel("sparq dense " + count, SparqModels.dense(count, count, count == 3, true), 60, count);
        }
    }

    private void phase(String name) {
        current = new ArrayList<>();
        phases.put(name, current);
    }

    private void record(long v) {
        current.add(v);
    }

    /** Records a result, or a code naming the exception class when the call throws (also exact behaviour). */
    private void call(LongSupplier f) {
        try {
            record(f.getAsLong());
        } catch (RuntimeException e) {
            record(EXCEPTION | (e.getClass().getName().hashCode() & 0xffffffffL));
        }
    }

    private void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (Map.Entry<String, List<Long>> p : phases.entrySet()) {
                out.writeUTF(p.getKey());
                out.writeInt(p.getValue().size());
                for (long v : p.getValue()) {
                    out.writeLong(v);
                }
            }
        }
    }

    /**
     * AXE's exact accumulator budget ({@code AccumulatorBudget}, used by qat-ptq): unsigned inputs hot (the x_min
     * branches never taken), then signed inputs and the refused weights outside the budget.
     */
    private void axeBudget() throws InterruptedException {
        SplittableRandom r = new SplittableRandom(44);
        phase("unsigned budgets hot");
        for (int n = 0; n < 4_000; n++) {
            budgetRun(r, r.nextInt(4, 24), r.nextInt(2, 9), false, 40);
        }
        pause();
        phase("signed budgets after the warm-up");
        for (int n = 0; n < 400; n++) {
            budgetRun(r, r.nextInt(4, 24), r.nextInt(2, 9), true, 40);
        }
        phase("mixed, with refused weights");
        for (int n = 0; n < 400; n++) {
            budgetRun(r, r.nextInt(2, 40), r.nextInt(2, 12), r.nextBoolean(), 40);
        }
    }

    private void budgetRun(SplittableRandom r, int p, int n, boolean signed, int steps) {
        AccumulatorBudget b = new AccumulatorBudget(p, n, signed);
        for (int s = 0; s < steps; s++) {
            long lo = b.low();
            long hi = b.high();
            record(lo);
            record(hi);
            // mostly inside the budget, sometimes one past either end (refused: recorded as the exception code)
            long q = lo
                    + r.nextLong(hi - lo + 1)
                    + (r.nextInt(20) == 0 ? (r.nextBoolean() ? hi - lo + 1 : -(hi - lo + 1)) : 0);
            call(() -> {
                b.add(q);
                return b.positiveSum() * 31 + b.negativeSum();
            });
        }
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(300);
    }

    /** The reproducer of JDK-8376400: RND/WRAP hot with a pruned format every 1,000th call, then SAT. */
    private void wrapHotThenSat() throws InterruptedException {
        SplittableRandom r = new SplittableRandom(42);
        phase("warm RND/WRAP, pruned every 1000th");
        for (int n = 0; n < 20_000 * 16; n++) {
            FixedFormat f = n % 1000 == 0 ? PRUNED : FixedFormat.signed(r.nextInt(0, 8), r.nextInt(0, 8));
            double x = r.nextDouble(-300, 300);
            call(() -> FixedPoint.quantize(x, f, RoundingMode.RND, OverflowMode.WRAP));
        }
        pause();
        phase("first SAT calls after the warm-up");
        for (long m = -1; m >= -8; m--) {
            long mm = m;
            call(() -> FixedPoint.applyOverflow(mm, FixedFormat.signed(2, 2), OverflowMode.SAT));
        }
        phase("wide WRAP after the warm-up");
        for (int width = 60; width <= 66; width++) {
            FixedFormat f = FixedFormat.signed(width - 1 - 2, 2);
            call(() -> FixedPoint.applyOverflow(-5, f, OverflowMode.WRAP));
            call(() -> FixedPoint.applyOverflow(Long.MAX_VALUE - 3, f, OverflowMode.WRAP));
        }
        sweep("every mode after the warm-up", new SplittableRandom(7), 2_000);
    }

    /** The mirror image: SAT and SAT_SYM hot with pruned formats mixed in, then WRAP, wide formats and rescales. */
    private void satHotThenWrap() throws InterruptedException {
        SplittableRandom r = new SplittableRandom(43);
        phase("warm RND/SAT and TRN/SAT_SYM, pruned every 1000th");
        for (int n = 0; n < 20_000 * 16; n++) {
            FixedFormat f = n % 1000 == 0 ? PRUNED : new FixedFormat(r.nextInt(0, 2), r.nextInt(0, 8), r.nextInt(0, 8));
            double x = r.nextDouble(-300, 300);
            OverflowMode o = (n & 1) == 0 ? OverflowMode.SAT : OverflowMode.SAT_SYM;
            RoundingMode rm = (n & 2) == 0 ? RoundingMode.RND : RoundingMode.TRN;
            call(() -> FixedPoint.quantize(x, f, rm, o));
        }
        pause();
        phase("first WRAP calls after the warm-up");
        for (long m = -1; m >= -8; m--) {
            long mm = m;
            call(() -> FixedPoint.applyOverflow(mm, FixedFormat.signed(2, 2), OverflowMode.WRAP));
            call(() -> FixedPoint.applyOverflow(mm, FixedFormat.signed(60, 4), OverflowMode.WRAP));
            call(() -> FixedPoint.applyOverflow(mm, FixedFormat.unsigned(60, 4), OverflowMode.WRAP));
        }
        phase("rescale and requantize after the warm-up");
        for (int s = -70; s <= 70; s += 3) {
            int fromF = s;
            call(() ->
                    FixedPoint.rescale(-12345, fromF, FixedFormat.signed(4, 3), RoundingMode.RND, OverflowMode.WRAP));
            call(() -> FixedPoint.rescale(
                    12345, fromF, FixedFormat.unsigned(4, 3), RoundingMode.RND_CONV, OverflowMode.SAT));
            call(() -> FixedPoint.rescale(777, fromF, PRUNED, RoundingMode.RND, OverflowMode.SAT));
        }
        sweep("every mode after the warm-up", new SplittableRandom(8), 2_000);
    }

    /** Every rounding × overflow mode on every entry point, formats of every kind, interleaved. */
    private void allModes() {
        sweep("every mode, interleaved", new SplittableRandom(9), 12_000);
    }

    private static FixedFormat randomFormat(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> PRUNED;
            case 1 -> new FixedFormat(r.nextInt(2), r.nextInt(-64, 65), r.nextInt(-64, 65)); // any, wide and negative
            case 2 -> new FixedFormat(r.nextInt(2), 62 - r.nextInt(3), r.nextInt(0, 4)); // at and past 64 bits
            default -> new FixedFormat(r.nextInt(2), r.nextInt(-4, 12), r.nextInt(-4, 12));
        };
    }

    private void sweep(String name, SplittableRandom r, int count) {
        phase(name);
        RoundingMode[] rms = RoundingMode.values();
        OverflowMode[] oms = OverflowMode.values();
        for (int n = 0; n < count; n++) {
            FixedFormat f = randomFormat(r);
            FixedFormat g = randomFormat(r);
            RoundingMode rm = rms[r.nextInt(rms.length)];
            OverflowMode om = oms[r.nextInt(oms.length)];
            double x = switch (r.nextInt(4)) {
                case 0 -> Math.scalb(r.nextInt(-4096, 4097) + 0.5, -r.nextInt(0, 12)); // ties
                case 1 -> Math.scalb(r.nextDouble(-1, 1), r.nextInt(-80, 80));
                case 2 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : -0.0;
                default -> r.nextDouble(-300, 300);
            };
            long m = r.nextInt(4) == 0 ? r.nextLong() : r.nextLong(-5000, 5000);
            int shift = r.nextInt(-8, 80);
            int fromF = r.nextInt(-70, 70);
            call(() -> FixedPoint.quantize(x, f, rm, om));
            call(() -> FixedPoint.applyOverflow(m, f, om));
            call(() -> FixedPoint.rescale(m, fromF, f, rm, om));
            call(() -> FixedPoint.requantize(FixedPoint.applyOverflow(m, g, OverflowMode.WRAP), g, f, rm, om));
            call(() -> shift < 0 ? 0 : FixedPoint.shiftRightRounded(m, shift, rm));
            call(() -> FixedPoint.isMantissa(m, f) ? 1 : 0);
            call(() -> f.maxMantissa());
            call(() -> f.minMantissa(om));
            call(() -> Double.doubleToRawLongBits(FixedPoint.toDouble(m, f)));
            call(() -> Double.doubleToRawLongBits(rm.round(x)));
        }
    }

    private void runModel(String name, IntegerModel model, int rounds, long seed) {
        phase("run " + name);
        IntegerRuntime rt = IntegerRuntime.compile(model);
        SplittableRandom r = new SplittableRandom(seed);
        boolean floatOut = model.tensor(model.outputName()).kind() == TensorKind.FLOAT;
        for (int round = 0; round < rounds; round++) {
            int batch = round % 3 == 0 ? 7 : 1;
            float[] x = new float[batch * rt.inputSize()];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (r.nextInt(5) == 0 ? r.nextInt(-3, 4) * 0.25 : r.nextGaussian() * (1 + round % 4));
            }
            try {
                if (floatOut) {
                    for (float y : rt.runFloat(x, batch)) {
                        record(Float.floatToRawIntBits(y));
                    }
                } else {
                    for (long y : rt.runInt(x, batch)) {
                        record(y);
                    }
                }
            } catch (RuntimeException e) {
                record(EXCEPTION | (e.getClass().getName().hashCode() & 0xffffffffL));
            }
        }
    }

    private void certify(String name, IntegerModel model) {
        phase("certify " + name);
        OverflowCertificate c = CertificateProver.prove(model);
        String json = CertificateWriter.toJson(c);
        byte[] sha;
        try {
            sha = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int t = 0; t < 32; t += 8) {
            long v = 0;
            for (int j = 0; j < 8; j++) {
                v = (v << 8) | (sha[t + j] & 0xff);
            }
            record(v);
        }
        CheckReport report = CertificateChecker.check(model, json);
        record(report.holds() ? 1 : 0);
        record(report.table().hashCode());
    }

    private Map<String, IntegerModel> zoo() {
        Map<String, IntegerModel> m = new LinkedHashMap<>();
        m.put("mlpFixed", TestModels.mlpFixed(3, 12, 16, 8, 5));
        m.put("mlpWide", TestModels.mlpWide(4, 40, 16));
        m.put("cnnFixed", TestModels.cnnFixed(5));
        m.put("conv1dFixed", TestModels.conv1dFixed(6));
        m.put("mlpA2q", TestModels.mlpA2q(7, A2qConstraint.Variant.A2Q, 14, 12, 10, 4));
        m.put("mlpA2qPlus", TestModels.mlpA2q(8, A2qConstraint.Variant.A2Q_PLUS, 12, 12, 10, 4));
        m.put("cnnA2qFloatAvgPool", TestModels.cnnA2qFloatAvgPool(9));
        m.put("mlpA2qResidual", TestModels.mlpA2qResidual(13));
        m.put("embeddingAffine", EmbeddingModels.random(10, 6, 20, 5, 4, EmbeddingOp.Kind.AFFINE, 5, 40));
        // declared P too narrow: the checked path, which throws on some inputs (recorded as exact behaviour)
        m.put("embeddingCodebookChecked", EmbeddingModels.random(11, 6, 20, 5, 4, EmbeddingOp.Kind.CODEBOOK, 5, 14));
        m.put("sparqConvRoundedPairs", SparqModels.conv(12, 3, true, true));
        m.put("sparqDenseTruncated", SparqModels.dense(13, 2, false, false));
        m.put("multipointProven", AccumulatorWidths.deriveMinimal(MultipointModels.mlp(12, 12, 8, 4, 4, 64, 64)));
        // point and combination registers too narrow: both checked paths, throwing on some inputs
        m.put("multipointChecked", MultipointModels.mlp(13, 12, 8, 4, 4, 12, 20));
        return m;
    }

    /** The sequence that exposed JDK-8376400 end to end: pruned WRAP models hot, then a uniform RND/SAT model. */
    private void runtimePrunedWrapFirst() throws InterruptedException {
        int s = 100;
        for (RoundingMode rm : RoundingMode.values()) {
            runModel("WRAP " + rm, JitModels.modeMlp(s++, rm, OverflowMode.WRAP), 600, s);
        }
        pause();
        runModel("uniform RND/SAT", JitModels.uniformMlp(7, RoundingMode.RND, OverflowMode.SAT), 300, 1);
        for (OverflowMode om : OverflowMode.values()) {
            for (RoundingMode rm : RoundingMode.values()) {
                runModel(rm + "/" + om, JitModels.modeMlp(s++, rm, om), 40, s);
            }
        }
        zoo().forEach((name, model) -> runModel(name, model, 150, name.hashCode()));
        zoo().forEach(this::certify);
    }

    /** The reverse order: saturating models and certificates hot, then wrapping and pruned models. */
    private void runtimeSatFirst() throws InterruptedException {
        zoo().forEach(this::certify);
        int s = 200;
        for (RoundingMode rm : RoundingMode.values()) {
            runModel("uniform SAT " + rm, JitModels.uniformMlp(s++, rm, OverflowMode.SAT), 600, s);
        }
        pause();
        for (OverflowMode om : new OverflowMode[] {OverflowMode.WRAP, OverflowMode.SAT_SYM}) {
            for (RoundingMode rm : RoundingMode.values()) {
                runModel(rm + "/" + om, JitModels.modeMlp(s++, rm, om), 40, s);
            }
        }
        zoo().forEach((name, model) -> runModel(name, model, 150, name.hashCode()));
        zoo().forEach(this::certify);
    }
}
