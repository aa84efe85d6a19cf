package org.qat4j.export.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.GeneratedCodeCheck;
import org.qat4j.export.Predictions;
import org.qat4j.export.Register;
import org.qat4j.export.Sha256;
import org.qat4j.export.c.CExportDifferentialTest;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Generated Verilog simulated by Icarus Verilog equals the Java runtime bit for bit (compared as
 * {@code qat predict} text) on recorded, random and adversarial inputs: HGQ MLP with per-element
 * formats, every rounding and overflow mode, accumulators beyond 32 bits, a conv2d CNN with pooling and a
 * residual add, conv1d; combinational and pipelined. A2Q models are refused naming the op; a register
 * narrowed by hand is rejected by {@link GeneratedCodeCheck}.
 */
class VerilogExportDifferentialTest {

    @TempDir
    Path tmp;

    /** Exports with the checked certificate, simulates, compares; returns the samples compared. */
    private int check(IntegerModel m, String dir, int pipeline, int samples) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        VerilogExporter.export(
                m,
                CertifiedWidths.check(m, cert, "certificate"),
                "net",
                pipeline,
                d,
                "model.json",
                "0".repeat(64),
                "0".repeat(64));
        float[] x = Predictions.testInputs(m, samples / 2, samples / 2, 11);
        byte[] rtl = VerilogSimulator.run(d, m, x);
        assertNull(Predictions.firstDifference(Predictions.predict(m, x), rtl, "Java runtime", "Icarus Verilog"));
        return x.length / m.tensor(m.inputName()).numel();
    }

    @Test
    void hgqMlpCombinationalAndPipelined() throws IOException {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 12, 8, 5));
        assertEquals(600, check(m, "mlp", 0, 600));
        assertEquals(600, check(m, "mlp-pipelined", 1, 600));
    }

    @Test
    void everyRoundingAndOverflowMode() throws IOException {
        assertEquals(
                600, check(AccumulatorWidths.deriveMinimal(CExportDifferentialTest.modesModel(7, 1)), "modes", 2, 600));
    }

    @Test
    void wideAccumulators() throws IOException {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpWide(2, 12, 20));
        assertTrue(m.ops().stream()
                .anyMatch(op -> op instanceof org.qat4j.runtime.model.DenseOp d && d.accumulatorBits() > 32));
        assertEquals(100, check(m, "wide", 0, 100));
    }

    /**
     * 3,000 inputs into each of two neurons: sums of thousands of shift-add terms, which Icarus simulates in
     * O(log n) adder evaluations per changed operand because {@link ConstantSum} nests them as a balanced tree.
     */
    @Test
    void aSumOfThousandsOfTerms() throws IOException {
        assertEquals(100, check(AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(5, 3000, 2)), "fan-in", 0, 100));
    }

    @Test
    void cnnAndConv1d() throws IOException {
        assertEquals(150, check(AccumulatorWidths.deriveMinimal(TestModels.cnnFixed(3)), "cnn", 0, 150));
        assertEquals(300, check(AccumulatorWidths.deriveMinimal(TestModels.conv1dFixed(4)), "conv1d", 1, 300));
    }

    @Test
    void sparqIsRefusedNamingTheOp() {
        IntegerModel m = org.qat4j.runtime.model.SparqModels.dense(3, 3, true, true);
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        ExportException e = assertThrows(
                ExportException.class,
                () -> VerilogExporter.generate(m, CertifiedWidths.check(m, cert, "c"), "net", 0, "m.json", "0", "0"));
        assertEquals("op 'sp' (sparq) has no Verilog export", e.getMessage());
    }

    @Test
    void embeddingIsRefusedNamingTheOp() {
        IntegerModel m = AccumulatorWidths.deriveMinimal(
                CExportDifferentialTest.embeddingModel(8, org.qat4j.runtime.model.EmbeddingOp.Kind.AFFINE));
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        ExportException e = assertThrows(
                ExportException.class,
                () -> VerilogExporter.generate(m, CertifiedWidths.check(m, cert, "c"), "net", 0, "m.json", "0", "0"));
        assertEquals("op 'emb' (embedding) has no Verilog export", e.getMessage());
    }

    @Test
    void multipointIsRefusedNamingTheOp() {
        IntegerModel m =
                AccumulatorWidths.deriveMinimal(org.qat4j.runtime.model.MultipointModels.mlp(5, 20, 12, 4, 4, 64, 64));
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        ExportException e = assertThrows(
                ExportException.class,
                () -> VerilogExporter.generate(m, CertifiedWidths.check(m, cert, "c"), "net", 0, "m.json", "0", "0"));
        assertEquals("op 'mp1' (multipoint_dense) has no Verilog export", e.getMessage());
    }

    @Test
    void a2qModelsAreRefusedNamingTheOp() {
        IntegerModel m = TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q_PLUS, 16, 20, 10, 4);
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        ExportException e = assertThrows(
                ExportException.class,
                () -> VerilogExporter.generate(m, CertifiedWidths.check(m, cert, "c"), "net", 0, "m.json", "0", "0"));
        assertTrue(
                e.getMessage().startsWith("op 'q0' (quantize_scaled): the Verilog export needs a fixed-point model"),
                e.getMessage());
    }

    @Test
    void aNarrowedRegisterIsRejected() throws IOException {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 12, 8, 5));
        Path mf = tmp.resolve("model.json");
        Path cf = tmp.resolve("certificate.json");
        ModelWriter.write(m, mf);
        org.qat4j.runtime.cert.CertificateWriter.write(CertificateProver.prove(m), cf);
        Path d = Files.createDirectories(tmp.resolve("v"));
        VerilogExporter.Generated g = VerilogExporter.export(
                m,
                CertifiedWidths.check(m, Files.readString(cf), "c"),
                "net",
                0,
                d,
                "model.json",
                Sha256.of(mf),
                Sha256.of(cf));
        GeneratedCodeCheck.Result ok = GeneratedCodeCheck.check(mf, cf, d);
        assertEquals(List.of(), ok.problems());
        assertEquals(g.registers().size(), ok.registers().size());
        Register r = g.registers().get(3);
        Path v = d.resolve("net.v");
        String src = Files.readString(v);
        String decl = "wire signed [" + (r.declaredBits() - 1) + ":0] a";
        int at = src.indexOf("// qat4j-register " + r.name() + "\n");
        int line = src.lastIndexOf('\n', at) + 1;
        assertTrue(src.substring(line, at).contains(decl), src.substring(line, at));
        Files.writeString(
                v,
                src.substring(0, line)
                        + src.substring(line, at).replace(decl, "wire signed [" + (r.declaredBits() - 3) + ":0] a")
                        + src.substring(at));
        GeneratedCodeCheck.Result bad = GeneratedCodeCheck.check(mf, cf, d);
        assertTrue(
                bad.problems()
                        .contains("register " + r.name() + " is declared " + (r.declaredBits() - 2)
                                + " bits wide, the certificate proves it needs " + r.neededBits()
                                + ": it can overflow"),
                bad.problems().toString());
    }
}
