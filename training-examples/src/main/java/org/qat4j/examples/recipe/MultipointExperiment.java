package org.qat4j.examples.recipe;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.ptq.apply.MultipointForward;
import org.qat4j.ptq.multipoint.MultipointQuantizer;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.InputGenerators;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * {@code qat ptq multipoint}: multipoint quantization (arXiv 2002.09049) of a float MLP run into
 * {@code multipoint_dense} integer models — the requested W-bit model with its budget of extra points,
 * plain W-bit (no extra point) and plain 8-bit, all at A-bit activations — each written with its
 * certificate, checked by the independent checker from the files, and compared bit for bit with the
 * DJL FLOAT64 forward ({@link MultipointForward}) on every test image plus random and adversarial inputs.
 * Writes the new run directory atomically ({@code results.md}, one subdirectory per model).
 */
public final class MultipointExperiment {
    /** Random and adversarial inputs each, on top of the test set. */
    static final int GENERATED = 1000;
    /** Test images recorded in each model file with the DJL forward's outputs. */
    static final int TEST_VECTORS = 64;

    private static final int BATCH = 500;

    /** One model's result. */
    public record Row(
            String label,
            int weightBits,
            double budget,
            int[] points,
            long storedBits,
            double calibrationAccuracy,
            double accuracy,
            int pointBits,
            int accBits,
            boolean certificateHolds,
            boolean checkerHolds,
            int mismatches,
            int compared) {}

    /** Float accuracy and the rows. */
    public record Outcome(double floatAccuracy, long floatBits, List<Row> rows) {
        /** Every model certified, checked and bit-exact. */
        public boolean allVerified() {
            return rows.stream().allMatch(r -> r.certificateHolds() && r.checkerHolds() && r.mismatches() == 0);
        }

        /** Markdown table. */
        public String table() {
            StringBuilder b = new StringBuilder(
                    "| model | points (per layer) | weight storage | % of float32 | calibration acc. | test acc."
                            + " | Δ vs float | accumulators (point / combination) | certificate | checker | bit-exact |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            b.append(String.format(
                    "| float32 | — | %.1f KiB | 100.00%% | — | %.4f | — | — | — | — | — |%n",
                    floatBits / 8192.0, floatAccuracy));
            for (Row r : rows) {
                b.append(String.format(
                        "| %s | %s | %.1f KiB | %.2f%% | %.4f | %.4f | %+.4f | %d / %d bits | %s | %s | %d/%d differ |%n",
                        r.label(),
                        java.util.Arrays.toString(r.points()),
                        r.storedBits() / 8192.0,
                        100.0 * r.storedBits() / floatBits,
                        r.calibrationAccuracy(),
                        r.accuracy(),
                        r.accuracy() - floatAccuracy,
                        r.pointBits(),
                        r.accBits(),
                        r.certificateHolds() ? "holds" : "FAILS",
                        r.checkerHolds() ? "holds" : "REJECTS",
                        r.mismatches(),
                        r.compared()));
            }
            return b.toString();
        }
    }

    private final PrintStream console;

    public MultipointExperiment(PrintStream console) {
        this.console = console;
    }

    /**
     * Runs into the new directory {@code out}.
     *
     * @param floatRun a finished {@code --variant float} run of an MLP recipe
     */
    public Outcome run(
            Path floatRun, String recipe, int weightBits, int actBits, double budget, int calibrationSamples, Path out)
            throws IOException {
        Object[] result = new Object[1];
        try (FloatMlpRun run = FloatMlpRun.open(floatRun, recipe, calibrationSamples)) {
            RecipeSettings s = run.settings;
            int n = run.calibration.length;
            console.printf(
                    "multipoint PTQ of %s (float run %s, test accuracy %.4f): W%dA%d, budget %.2f extra points per channel, %d"
                            + " calibration samples%n",
                    s.recipe(), floatRun, run.floatTestAccuracy, weightBits, actBits, budget, n);
            AtomicFiles.writeDirectory(out, dir -> {
                List<Row> rows = new ArrayList<>();
                Object[][] variants = {
                    {"plain W" + weightBits, weightBits, 0.0},
                    {"multipoint W" + weightBits + " +" + budget, weightBits, budget},
                    {"plain W8", 8, 0.0}
                };
                for (Object[] v : variants) {
                    int bits = (Integer) v[1];
                    double bud = (Double) v[2];
                    long t0 = System.nanoTime();
                    MultipointQuantizer.Result q = MultipointQuantizer.quantize(
                            run.layers,
                            run.calibration,
                            bits,
                            actBits,
                            bud,
                            MultipointQuantizer.provenance(
                                    s.recipe(),
                                    s.seed(),
                                    bits,
                                    actBits,
                                    bud,
                                    HagoExperiment.settings(
                                            "floatRun",
                                            floatRun.toString(),
                                            "calibrationSamples",
                                            Integer.toString(n))));
                    Path sub = dir.resolve("w" + bits + "-budget" + bud);
                    Files.createDirectories(sub);
                    Verified ver = verify(q.model(), sub, run, s.seed());
                    console.printf(
                            "%s: %s points, test accuracy %.4f (calibration %.4f), %s (%.1f s)%n",
                            v[0],
                            java.util.Arrays.toString(q.pointsPerLayer()),
                            ver.accuracy(),
                            ver.calibrationAccuracy(),
                            ver.summary(),
                            (System.nanoTime() - t0) / 1e9);
                    rows.add(new Row(
                            (String) v[0],
                            bits,
                            bud,
                            q.pointsPerLayer(),
                            q.storedBits(),
                            ver.calibrationAccuracy(),
                            ver.accuracy(),
                            ver.pointBits(),
                            ver.accBits(),
                            ver.certificateHolds(),
                            ver.checkerHolds(),
                            ver.mismatches(),
                            ver.compared()));
                }
                Outcome o = new Outcome(run.floatTestAccuracy, run.floatWeightBits, rows);
                AtomicFiles.writeString(dir.resolve("results.md"), o.table());
                result[0] = o;
            });
        }
        return (Outcome) result[0];
    }

    /** What {@link #verify} found for one model. */
    record Verified(
            double accuracy,
            double calibrationAccuracy,
            int pointBits,
            int accBits,
            boolean certificateHolds,
            boolean checkerHolds,
            int mismatches,
            int compared) {
        String summary() {
            return "certificate " + (certificateHolds ? "holds" : "FAILS") + ", checker "
                    + (checkerHolds ? "holds" : "REJECTS") + ", " + mismatches + " of " + compared
                    + " outputs differ from the DJL FLOAT64 forward";
        }
    }

    /**
     * Writes {@code model.json} and {@code certificate.json} into {@code sub}, checks the certificate from the files with
     * the independent checker, and compares the runtime with the DJL FLOAT64 forward on the test set and on
     * {@value #GENERATED} random and {@value #GENERATED} adversarial inputs; accuracies on the test and calibration sets.
     */
    static Verified verify(IntegerModel model, Path sub, FloatMlpRun run, long seed) throws IOException {
        // the first test images and the DJL forward's outputs go into the file: qat verify reproduces them bit for bit
        int in0 = model.tensor(model.inputName()).numel();
        int vectors = (int) Math.min(TEST_VECTORS, run.test.size());
        float[] tv = new float[vectors * in0];
        for (int t = 0; t < vectors; t++) {
            System.arraycopy(run.test.getFeatures(t), 0, tv, t * in0, in0);
        }
        IntegerModel m = model.toBuilder()
                .optTestVectors(new org.qat4j.runtime.model.TestVectors(
                        "DJL PyTorch FLOAT64 forward of the " + "integer model (MultipointForward)",
                        vectors,
                        tv,
                        MultipointForward.run(model, run.manager(), tv, vectors),
                        null))
                .build();
        OverflowCertificate cert = CertificateProver.prove(m);
        ModelWriter.write(m, sub.resolve("model.json"));
        CertificateWriter.write(cert, sub.resolve("certificate.json"));
        CheckReport check = CertificateChecker.check(sub.resolve("model.json"), sub.resolve("certificate.json"));
        IntegerRuntime rt = IntegerRuntime.compile(m);
        int in = rt.inputSize();
        int classes = rt.outputSize();
        TensorDataset test = run.test;
        int testN = (int) test.size();
        float[] xs = new float[testN * in];
        int[] labels = new int[testN];
        for (int t = 0; t < testN; t++) {
            System.arraycopy(test.getFeatures(t), 0, xs, t * in, in);
            labels[t] = test.getLabel(t);
        }
        InputGenerators gen = InputGenerators.of(m);
        Random rnd = new Random(seed);
        float[] generated = concat(gen.random(rnd, GENERATED), gen.adversarial(rnd, GENERATED));
        int[] bad = new int[1];
        float[] y = compare(rt, m, xs, testN, in, classes, run.manager(), bad);
        compare(rt, m, generated, 2 * GENERATED, in, classes, run.manager(), bad);
        float[] cx = new float[run.calibration.length * in];
        for (int s = 0; s < run.calibration.length; s++) {
            for (int j = 0; j < in; j++) {
                cx[s * in + j] = (float) run.calibration[s][j];
            }
        }
        double calAcc = accuracy(rt.runFloat(cx, run.calibration.length), run.calibrationLabels, classes);
        int pointBits = 0;
        int accBits = 0;
        for (var op : m.ops()) {
            if (op instanceof org.qat4j.runtime.model.MultipointDenseOp d) {
                pointBits = Math.max(pointBits, d.pointAccumulatorBits());
                accBits = Math.max(accBits, d.accumulatorBits());
            }
        }
        return new Verified(
                accuracy(y, labels, classes),
                calAcc,
                pointBits,
                accBits,
                cert.holds(),
                check.holds(),
                bad[0],
                (testN + 2 * GENERATED) * classes);
    }

    /** Runtime outputs of {@code n} samples, counting the elements whose bits differ from the DJL forward. */
    private static float[] compare(
            IntegerRuntime rt, IntegerModel m, float[] x, int n, int in, int classes, NDManager manager, int[] bad) {
        float[] out = new float[n * classes];
        for (int b0 = 0; b0 < n; b0 += BATCH) {
            int nb = Math.min(BATCH, n - b0);
            float[] part = java.util.Arrays.copyOfRange(x, b0 * in, (b0 + nb) * in);
            float[] java = rt.runFloat(part, nb);
            float[] djl = MultipointForward.run(m, manager, part, nb);
            for (int e = 0; e < java.length; e++) {
                bad[0] += Float.floatToRawIntBits(java[e]) != Float.floatToRawIntBits(djl[e]) ? 1 : 0;
            }
            System.arraycopy(java, 0, out, b0 * classes, java.length);
        }
        return out;
    }

    private static double accuracy(float[] y, int[] labels, int classes) {
        int ok = 0;
        for (int s = 0; s < labels.length; s++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (y[s * classes + c] > y[s * classes + best]) {
                    best = c;
                }
            }
            ok += best == labels[s] ? 1 : 0;
        }
        return (double) ok / labels.length;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
