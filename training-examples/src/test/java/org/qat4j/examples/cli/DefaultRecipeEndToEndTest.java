package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.LayerStats;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.examples.run.RunPlots;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.check.CertificateChecker;

/**
 * The default recipe end to end on real Fashion-MNIST (when the Debian package's files are installed):
 * a short run of 200 optimizer steps, then the run directory is checked from its files.
 */
class DefaultRecipeEndToEndTest {

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void shortRealDataRunTrainsExportsCertifiesAndVerifies(@TempDir Path dir) throws Exception {
        assumeTrue(
                Files.isRegularFile(FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed in " + FASHION_MNIST);
        Path run = dir.resolve("run");
        CliCapture c = CliCapture.run(
                "train",
                "hgq-fashion-mlp",
                "--epochs",
                "1",
                "--train-limit",
                "12800",
                "--batch-size",
                "64",
                "--out",
                run.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("Plots"), c.out());

        RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
        assertEquals("hgq-fashion-mlp", m.getRecipe());
        assertEquals(1, m.getHistory().size());
        assertEquals(200, m.getHistory().get(0).steps());
        assertEquals(14_000L, m.getBitExactInputs()); // the test set plus 2,000 random and 2,000 adversarial inputs
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        // 200 steps of a 784-64-10 MLP reach far above chance (10%) on Fashion-MNIST
        assertTrue(m.getFloatTestAccuracy() > 0.6, "float accuracy " + m.getFloatTestAccuracy());
        assertTrue(m.getIntegerTestAccuracy() > 0.6, "integer accuracy " + m.getIntegerTestAccuracy());
        assertNotNull(m.getEbopsExact());
        assertTrue(m.getEbopsExact() > 0);
        assertTrue(m.getWallSeconds() > 0);
        assertEquals(2, m.getLayers().size(), m.getLayers().toString());
        for (LayerStats layer : m.getLayers()) {
            assertNotNull(layer.weightBits(), layer.name());
            assertNotNull(layer.accumulatorBitsNeeded(), layer.name());
            assertTrue(layer.accumulatorFits(), layer.toString());
        }
        assertFalse(m.getParetoPoints().isEmpty());
        // every JSON file of the run (metrics, settings, checkpoint state, model, certificate) is RFC 8259 JSON
        try (var files = Files.walk(run)) {
            for (Path json : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                org.qat4j.runtime.model.ModelReader.parse(Files.readString(json), json.toString());
            }
        }

        // the certificate holds for the model file, checked again here from the files alone
        CheckReport report =
                CertificateChecker.check(run.resolve("integer-model.json"), run.resolve("certificate.json"));
        assertTrue(report.holds(), report.table());
        assertTrue(report.weightsChecked() >= 784 * 64 + 64 * 10, "weights checked " + report.weightsChecked());
        for (String plot : new String[] {RunPlots.TRAINING_CURVES, RunPlots.BIT_WIDTHS, RunPlots.ACCUMULATOR_BITS}) {
            assertTrue(Files.size(run.resolve("plots").resolve(plot)) > 1000, plot);
        }

        // qat export re-exports the checkpoint to the same integer model, bit for bit
        byte[] first = Files.readAllBytes(run.resolve("integer-model.json"));
        CliCapture again = CliCapture.run("export", "--run", run.toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(
                java.util.Arrays.equals(first, Files.readAllBytes(run.resolve("integer-model.json"))),
                "re-export changed the integer model");
    }
}
