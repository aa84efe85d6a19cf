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
        floatRun = dir.resolve("float");
        CliCapture c = CliCapture.run("train", "hgq-fashion-mlp", "--variant", "float", "--epochs", "1",
                "--train-limit", "4000", "--out", floatRun.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("Float test accuracy"), c.out());
        assertFalse(Files.exists(floatRun.resolve("integer-model.json")));
    }

    @Test
    void mseAtW8A8KeepsTheFloatAccuracyAndVerifies() throws Exception {
        Path out = dir.resolve("mse");
        CliCapture c = CliCapture.run("ptq", "mse", "--float-run", floatRun.toString(), "--recipe", "hgq-fashion-mlp",
                "--weight-bits", "8", "--act-bits", "8", "--calibration", "512", "--out", out.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics m = RunMetrics.read(out.resolve("metrics.json"));
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(14000L, m.getBitExactInputs());
        double floatAcc = ((Number) m.getExtra().get("floatModelTestAccuracy")).doubleValue();
        assertTrue(floatAcc > 0.7, "float accuracy " + floatAcc);
        assertTrue(Math.abs(m.getIntegerTestAccuracy() - floatAcc) < 0.02,
                "W8A8 integer " + m.getIntegerTestAccuracy() + " vs float " + floatAcc);
        assertTrue(Files.exists(out.resolve("ptq.json")));
        assertTrue(Files.exists(out.resolve("certificate.json")));
    }

    @Test
    void axeIsCertifiedAtTheRequestedAccumulator() throws Exception {
        Path out = dir.resolve("axe");
        CliCapture c = CliCapture.run("ptq", "axe", "--float-run", floatRun.toString(), "--weight-bits", "4",
                "--act-bits", "4", "--acc-bits", "16", "--calibration", "256", "--out", out.toString());
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
    void refusedCommandsWriteNothing() throws Exception {
        Path out = dir.resolve("refused");
        CliCapture axe = CliCapture.run("ptq", "axe", "--float-run", floatRun.toString(), "--weight-bits", "4",
                "--act-bits", "4", "--out", out.toString());
        assertEquals(2, axe.code());
        assertTrue(axe.err().contains("--acc-bits"), axe.err());
        CliCapture method = CliCapture.run("ptq", "optq", "--float-run", floatRun.toString(), "--weight-bits", "4",
                "--act-bits", "4", "--out", out.toString());
        assertEquals(2, method.code());
        assertTrue(method.err().contains("unknown PTQ method 'optq'"), method.err());
        CliCapture recipe = CliCapture.run("ptq", "mse", "--float-run", floatRun.toString(), "--recipe",
                "hgq-fashion-cnn", "--weight-bits", "4", "--act-bits", "4", "--out", out.toString());
        assertEquals(2, recipe.code());
        assertTrue(recipe.err().contains("--recipe hgq-fashion-cnn does not match"), recipe.err());
        assertFalse(Files.exists(out));
        // an existing run is never touched
        Files.createDirectories(out);
        Path keep = Files.writeString(out.resolve("metrics.json"), "{}");
        CliCapture existing = CliCapture.run("ptq", "mse", "--float-run", floatRun.toString(), "--weight-bits", "4",
                "--act-bits", "4", "--out", out.toString());
        assertEquals(4, existing.code());
        assertTrue(existing.err().contains("already holds files"), existing.err());
        assertEquals("{}", Files.readString(keep));
        // a float run exports nothing; its export is refused
        CliCapture export = CliCapture.run("export", "--run", floatRun.toString());
        assertEquals(2, export.code(), export.out() + export.err());
        assertTrue((export.out() + export.err()).contains("float run"), export.out() + export.err());
    }
}
