package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.LayerStats;
import org.qat4j.examples.run.RunMetrics;

/**
 * {@code qat train --variant float} and {@code qat ptq} on real Fashion-MNIST data: a one-epoch float MLP on 4,000
 * training samples, then PTQ runs that end in a certified, bit-exact integer model, and refused commands that
 * write nothing.
 */
class PtqCommandTest {

    @TempDir
    static Path dir;

    static Path floatRun;

    @BeforeAll
    static void trainFloat() {
        floatRun = PtqRuns.floatRun("hgq-fashion-mlp", dir.resolve("float"), "--train-limit", "4000");
        assertFalse(Files.exists(floatRun.resolve("integer-model.json")));
    }

    @Test
    void mseAtW8A8KeepsTheFloatAccuracyAndVerifies() throws Exception {
        Path out = dir.resolve("mse");
        CliCapture c = CliCapture.run(
                "ptq",
                "mse",
                "--float-run",
                floatRun.toString(),
                "--recipe",
                "hgq-fashion-mlp",
                "--weight-bits",
                "8",
                "--act-bits",
                "8",
                "--calibration",
                "512",
                "--out",
                out.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics m = RunMetrics.read(out.resolve("metrics.json"));
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(14000L, m.getBitExactInputs());
        double floatAcc = ((Number) m.getExtra().get("floatModelTestAccuracy")).doubleValue();
        assertTrue(floatAcc > 0.7, "float accuracy " + floatAcc);
        assertTrue(
                Math.abs(m.getIntegerTestAccuracy() - floatAcc) < 0.02,
                "W8A8 integer " + m.getIntegerTestAccuracy() + " vs float " + floatAcc);
        assertTrue(Files.exists(out.resolve("ptq.json")));
        assertTrue(Files.exists(out.resolve("certificate.json")));
    }

    @Test
    void axeIsCertifiedAtTheRequestedAccumulator() throws Exception {
        Path out = dir.resolve("axe");
        CliCapture c = PtqRuns.ptq("axe", floatRun, 4, 4, out, "--acc-bits", "16", "--calibration", "256");
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics m = RunMetrics.read(out.resolve("metrics.json"));
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(2, m.getLayers().size());
        for (LayerStats l : m.getLayers()) {
            assertEquals(16, l.accumulatorBitsDeclared(), l.toString());
            assertTrue(l.accumulatorBitsNeeded() <= 16, l.toString());
        }
        assertTrue(m.getIntegerTestAccuracy() > 0.5, "accuracy " + m.getIntegerTestAccuracy());
        String certificate = Files.readString(out.resolve("certificate.json"));
        assertTrue(certificate.contains("A2Q_PLUS") || certificate.contains("A2Q+"), "constraint in the certificate");
    }

    @Test
    void sparqServesHiddenActivationsThroughWindowsAndCountsPairs() throws Exception {
        Path out = dir.resolve("sparq");
        CliCapture c =
                PtqRuns.ptq("sparq", floatRun, 8, 8, out, "--windows", "2", "--no-round", "--calibration", "256");
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics m = RunMetrics.read(out.resolve("metrics.json"));
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertEquals(0L, m.getBitExactMismatches());
        assertTrue(c.out().contains("SPARQ 2opt trunc vSPARQ: 320000 activation pairs on the test set"), c.out());
        String model = Files.readString(out.resolve("integer-model.json"));
        assertTrue(
                model.contains("\"op\": \"sparq\"") && model.contains("\"rounding\": false"), "sparq op in the model");
        assertTrue(Files.readString(out.resolve("certificate.json")).contains("\"placements\""));
        // options of sparq are refused elsewhere, and bad values name the option
        CliCapture windows = PtqRuns.ptq("sparq", floatRun, 8, 8, dir.resolve("sparq-refused"), "--windows", "4");
        assertEquals(2, windows.code());
        assertTrue(windows.err().contains("--windows 4"), windows.err());
        CliCapture bits = PtqRuns.ptq("sparq", floatRun, 8, 4, dir.resolve("sparq-refused"));
        assertEquals(2, bits.code());
        assertTrue(bits.err().contains("--act-bits must be 8"), bits.err());
        CliCapture other = PtqRuns.ptq("mse", floatRun, 8, 8, dir.resolve("sparq-refused"), "--no-pairs");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("--[no-]pairs is only used by sparq"), other.err());
        assertFalse(Files.exists(dir.resolve("sparq-refused")));
    }

    @Test
    void refusedCommandsWriteNothing() throws Exception {
        Path out = dir.resolve("refused");
        CliCapture axe = PtqRuns.ptq("axe", floatRun, 4, 4, out);
        assertEquals(2, axe.code());
        assertTrue(axe.err().contains("--acc-bits"), axe.err());
        CliCapture method = PtqRuns.ptq("optq", floatRun, 4, 4, out);
        assertEquals(2, method.code());
        assertTrue(method.err().contains("unknown PTQ method 'optq'"), method.err());
        CliCapture recipe = CliCapture.run(
                "ptq",
                "mse",
                "--float-run",
                floatRun.toString(),
                "--recipe",
                "hgq-fashion-cnn",
                "--weight-bits",
                "4",
                "--act-bits",
                "4",
                "--out",
                out.toString());
        assertEquals(2, recipe.code());
        assertTrue(recipe.err().contains("--recipe hgq-fashion-cnn does not match"), recipe.err());
        assertFalse(Files.exists(out));
        // an existing run is never touched
        Files.createDirectories(out);
        Path keep = Files.writeString(out.resolve("metrics.json"), "{}");
        CliCapture existing = PtqRuns.ptq("mse", floatRun, 4, 4, out);
        assertEquals(4, existing.code());
        assertTrue(existing.err().contains("already holds files"), existing.err());
        assertEquals("{}", Files.readString(keep));
        // a float run exports nothing; its export is refused
        CliCapture export = CliCapture.run("export", "--run", floatRun.toString());
        assertEquals(2, export.code(), export.out() + export.err());
        assertTrue((export.out() + export.err()).contains("float run"), export.out() + export.err());
    }

    /** {@code qat ptq multipoint}: three certified multipoint models, bit-exact against the DJL FLOAT64 forward. */
    @Test
    void multipointAddsThePointBudgetAndVerifies() throws Exception {
        Path out = dir.resolve("multipoint");
        CliCapture c = PtqRuns.ptq("multipoint", floatRun, 3, 6, out, "--budget", "0.25", "--calibration", "256");
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("| multipoint W3 +0.25 | [80, 12] |"), c.out());
        for (String sub : new String[] {"w3-budget0.0", "w3-budget0.25", "w8-budget0.0"}) {
            org.qat4j.runtime.model.IntegerModel m =
                    org.qat4j.runtime.model.ModelReader.read(out.resolve(sub).resolve("model.json"));
            assertTrue(
                    org.qat4j.runtime.check.CertificateChecker.check(
                                    out.resolve(sub).resolve("model.json"),
                                    out.resolve(sub).resolve("certificate.json"))
                            .holds(),
                    sub);
            assertEquals("multipoint_dense", m.op("mp1").opType());
        }
        assertFalse(c.out().contains("REJECTS") || c.out().contains("FAILS"), c.out());
        // the recorded DJL vectors are reproduced by qat verify
        Path mp = out.resolve("w3-budget0.25");
        CliCapture v = CliCapture.run(
                "verify",
                "--model",
                mp.resolve("model.json").toString(),
                "--certificate",
                mp.resolve("certificate.json").toString(),
                "--samples",
                "200");
        assertEquals(0, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("self-check: 64 recorded vectors, 0 mismatching elements"), v.out());
    }

    @Test
    void multipointRefusalsNameTheOptionAndTouchNothing() throws Exception {
        CliCapture budget = PtqRuns.ptq("multipoint", floatRun, 4, 4, dir.resolve("never"), "--budget", "-1");
        assertEquals(2, budget.code());
        assertTrue(budget.err().contains("--budget must lie in [0, 16], got -1.0"), budget.err());
        Path existing = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        CliCapture taken = PtqRuns.ptq("multipoint", floatRun, 4, 4, existing);
        assertEquals(4, taken.code());
        assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
        CliCapture none = CliCapture.run("ptq", "--weight-bits", "4");
        assertEquals(2, none.code());
        assertTrue(
                none.err()
                        .contains(
                                "Missing required options and parameters: 'METHOD', '--float-run=DIR', '--act-bits=A'"),
                none.err());
        assertFalse(Files.exists(dir.resolve("never")));
    }

    /** {@code qat ptq hago} within a 16-bit-accumulator description, then {@code qat verify --hardware} on what it wrote. */
    @Test
    void hagoFitsTheHardwareAndVerifyChecksIt() throws Exception {
        Path out = dir.resolve("hago");
        Path acc16 = Path.of("..", "docs", "hardware", "acc16.json");
        CliCapture c = CliCapture.run(
                "ptq",
                "hago",
                "--hardware",
                acc16.toString(),
                "--float-run",
                floatRun.toString(),
                "--tolerance",
                "0.03",
                "--calibration",
                "256",
                "--out",
                out.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("hardware check: fits."), c.out());
        assertTrue(Files.exists(out.resolve("hardware.json")));
        String model = out.resolve("model.json").toString();
        String cert = out.resolve("certificate.json").toString();
        CliCapture ok =
                CliCapture.run("verify", "--model", model, "--certificate", cert, "--hardware", acc16.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("hardware: FITS"), ok.out());

        Path narrow = dir.resolve("acc8.json");
        Files.writeString(narrow, Files.readString(acc16).replace("\"accumulatorBits\": 16", "\"accumulatorBits\": 8"));
        CliCapture no =
                CliCapture.run("verify", "--model", model, "--certificate", cert, "--hardware", narrow.toString());
        assertEquals(1, no.code(), no.out() + no.err());
        assertTrue(no.out().contains("layer 'mp1' (multipoint_dense): accumulator of "), no.out());
        assertTrue(no.out().contains("bits exceeds the hardware's accumulatorBits 8"), no.out());

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(acc16).replace("\"accumulatorBits\": 16", "\"accumulatorBits\": 70"));
        CliCapture malformed =
                CliCapture.run("verify", "--model", model, "--certificate", cert, "--hardware", bad.toString());
        assertEquals(3, malformed.code());
        assertTrue(
                malformed
                        .err()
                        .contains("--hardware " + bad + ": $.ops.dense.accumulatorBits = 70: must lie in [2, 64]"),
                malformed.err());
        CliCapture missing = CliCapture.run(
                "ptq",
                "hago",
                "--hardware",
                dir.resolve("none.json").toString(),
                "--float-run",
                floatRun.toString(),
                "--out",
                dir.resolve("hago2").toString());
        assertEquals(3, missing.code());
        assertTrue(missing.err().contains("--hardware " + dir.resolve("none.json") + ": no such file"), missing.err());
        assertFalse(Files.exists(dir.resolve("hago2")));
    }
}
