package org.qat4j.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.prove.CertificateProver;

/** The pipeline on {@link BitExactHarnessTest}'s hand-written fixed-point MLP, with and without files. */
class ExportPipelineTest {
    @TempDir
    Path dir;

    private static float[] inputs(int n) {
        Random rnd = new Random(5);
        float[] x = new float[n * BitExactHarnessTest.IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * 3;
        }
        return x;
    }

    @Test
    void writesProvesChecksAndComparesTheModelAsReadBack() throws Exception {
        Path mf = dir.resolve("model.json");
        Path cf = dir.resolve("certificate.json");
        List<String> order = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            VerifiedExport<BitExactReport> v = ExportPipeline.builder()
                    .optFiles(mf, cf)
                    .optTestVectors(inputs(20), 20)
                    .optOnChecked(r -> order.add("checked"))
                    .build()
                    .run(BitExactHarnessTest.block(m, RoundingMode.RND), BitExactHarnessTest.model(), m, (h, mm) -> {
                        order.add("bit-exact");
                        return BitExactCheck.inputsAndGenerated("data", inputs(50), 500, 500, 3)
                                .run(h, mm);
                    });
            assertEquals(List.of("checked", "bit-exact"), order);
            assertTrue(v.certified(), v.check().table());
            assertTrue(v.bitExact().exact(), v.bitExact().toString());
            assertEquals(1050, v.bitExact().samples());
            assertEquals(3, v.bitExact().sources().size());
            assertEquals(DataType.FLOAT32, v.forwardType());
            IntegerModel back = ModelReader.read(mf);
            assertEquals(20, back.testVectors().count());
            assertEquals(back.testVectors().count(), v.model().testVectors().count());
            assertEquals(CertificateWriter.toJson(CertificateProver.prove(back)), Files.readString(cf));
            assertEquals(CertificateWriter.toJson(v.certificate()), Files.readString(cf));
            assertTrue(CertificateChecker.check(mf, cf).holds());
        }
    }

    @Test
    void aMismatchIsReportedNotThrownAndNothingIsWrittenWithoutFiles() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            VerifiedExport<BitExactReport> v = ExportPipeline.builder()
                    .build()
                    .run(
                            BitExactHarnessTest.block(m, RoundingMode.RND_CONV),
                            BitExactHarnessTest.model(),
                            m,
                            BitExactCheck.generated(3000, 3000, 1));
            assertTrue(v.certified());
            assertFalse(v.bitExact().exact());
            assertNull(v.modelFile());
            assertNull(v.certificateFile());
            assertNull(v.model().testVectors());
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count());
            }
        }
    }

    @Test
    void builderRefusesOneFileForBoth() {
        Path f = dir.resolve("same.json");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ExportPipeline.builder().optFiles(f, f));
        assertTrue(e.getMessage().contains("same.json"), e.getMessage());
    }

    @Test
    void runProvenanceKeepsTheExportersFieldsAndAppendsTheRun() {
        IntegerModel exported = BitExactHarnessTest.model().toBuilder()
                .setProvenance(new Provenance("HGQ", "exporter", 1, "0.0.1", Map.of("pool", "max")))
                .build();
        String sha = "ab".repeat(32);
        IntegerModel m = RunProvenance.builder()
                .setRecipe("r")
                .optSeed(9)
                .optSetting("epochs", 5)
                .optSetting("beta", null)
                .optDataSha256("train", sha)
                .build()
                .applyTo(exported);
        Provenance p = m.provenance();
        assertEquals("HGQ", p.method());
        assertEquals("0.0.1", p.libraryVersion());
        assertEquals("r", p.recipe());
        assertEquals(9, p.seed());
        assertEquals(
                List.of("pool", "epochs", "trainDataSha256", "jdk", "engine"),
                new ArrayList<>(p.settings().keySet()));
        assertEquals(sha, p.settings().get("trainDataSha256"));
        assertEquals(RunProvenance.currentJdk(), p.settings().get("jdk"));
        assertTrue(
                p.settings().get("engine").startsWith("PyTorch "), p.settings().get("engine"));
        assertThrows(
                IllegalArgumentException.class, () -> RunProvenance.builder().optDataSha256("train", "xyz"));
    }
}
