package org.qat4j.export.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.Predictions;
import org.qat4j.export.c.CExportDifferentialTest;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Verilator on the Verilog export: {@code verilator --lint-only -Wall} prints nothing for every test model
 * (per-element formats, every rounding and overflow mode, accumulators beyond 32 bits, conv2d with pooling
 * and a residual add, conv1d, pipelined), a hand edit that narrows an operand is reported, and the
 * Verilator-compiled simulation equals the Java runtime bit for bit. Verilator missing: the test fails
 * naming the Debian package.
 */
class VerilatorTest {

    @TempDir
    Path tmp;

    private Path export(IntegerModel m, String dir, int pipeline) throws IOException {
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
        return d;
    }

    static IntegerModel model(String name) {
        return AccumulatorWidths.deriveMinimal(
                switch (name) {
                    case "mlp" -> TestModels.mlpFixed(1, 16, 12, 8, 5);
                    case "modes" -> CExportDifferentialTest.modesModel(7, 1);
                    case "wide" -> TestModels.mlpWide(2, 12, 20);
                    case "cnn" -> TestModels.cnnFixed(3);
                    case "conv1d" -> TestModels.conv1dFixed(4);
                    default -> throw new IllegalArgumentException(name);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "modes", "wide", "cnn", "conv1d"})
    void lintAllWarningsIsClean(String name) throws IOException {
        assertEquals(List.of(), VerilatorLint.run(export(model(name), name, 0), "net", 600));
        assertEquals(List.of(), VerilatorLint.run(export(model(name), name + "-pipelined", 1), "net", 600));
    }

    /**
     * One accumulator of 3,000 inputs (about 7,000 shift-add terms): Verilator refuses a source line of more
     * than 40,000 preprocessor tokens, so the sum must be spread over lines (the default recipe's 784-input
     * layer failed before).
     */
    @Test
    void aSumOfThousandsOfTermsIsAcceptedByVerilator() throws IOException {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(5, 3000, 2));
        assertEquals(List.of(), VerilatorLint.run(export(m, "wide-fan-in", 0), "net", 600));
    }

    @Test
    void lintReportsANarrowedOperand() throws IOException {
        Path d = export(model("mlp"), "edited", 0);
        Path v = d.resolve("net.v");
        String src = Files.readString(v);
        String decl = "wire signed [15:0] a1_0;";
        assertTrue(src.contains(decl), "the first accumulator of the test MLP is 16 bits wide");
        Files.writeString(v, src.replace(decl, "wire signed [13:0] a1_0;"));
        List<String> lint = VerilatorLint.run(d, "net", 600);
        assertTrue(lint.stream().anyMatch(l -> l.startsWith("%Warning-WIDTH")), lint.toString());
    }

    /** One model (Verilator's C++ build takes most of a minute on a loaded machine); Icarus covers the others. */
    @Test
    void verilatorSimulationEqualsTheRuntime() throws IOException {
        IntegerModel m = model("mlp");
        Path d = export(m, "mlp", 1);
        float[] x = Predictions.testInputs(m, 1000, 1000, 23);
        byte[] rtl = VerilogSimulator.run(d, m, x, VerilogSimulator.Simulator.VERILATOR);
        assertNull(Predictions.firstDifference(Predictions.predict(m, x), rtl, "Java runtime", "Verilator"));
        assertEquals(2000 + recorded(m), rtl.length == 0 ? 0 : new String(rtl).split("\n").length);
    }

    private static int recorded(IntegerModel m) {
        return m.testVectors() == null ? 0 : m.testVectors().count();
    }
}
