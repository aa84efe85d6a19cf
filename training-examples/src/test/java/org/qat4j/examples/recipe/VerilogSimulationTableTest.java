package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.export.verilog.VerilogSimulator;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.prove.CertificateProver;

/** A run directory of the jets recipe's model gets one row: its recorded vectors plus 6 inputs, none differs. */
class VerilogSimulationTableTest {

    @TempDir
    Path tmp;

    @Test
    void jetsRunIsSimulatedBitExact() throws IOException {
        IntegerModel m = UntrainedRecipeModels.of("hgq-jets", 5);
        Path run = Files.createDirectories(tmp.resolve("jets-run"));
        ModelWriter.write(m, run.resolve("integer-model.json"));
        Files.writeString(run.resolve("certificate.json"), CertificateWriter.toJson(CertificateProver.prove(m)));
        new RunMetrics("hgq-jets").setIntegerTestAccuracy(0.25).write(run.resolve("metrics.json"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        VerilogSimulationTable.print(
                List.of(run),
                3,
                3,
                VerilogSimulator.Simulator.ICARUS,
                new PrintStream(b, true, StandardCharsets.UTF_8));
        List<String> lines = b.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        String row = lines.get(2);
        assertTrue(row.startsWith("| jets-run | hgq-jets | 25.00% | "), row);
        int recorded = m.testVectors() == null ? 0 : m.testVectors().count();
        int n = recorded + 6;
        assertTrue(row.contains("| " + n + " (" + recorded + " + 3 + 3) | ICARUS | "), row);
        assertTrue(row.contains("| 0 of " + n + " |"), row);
        assertTrue(Files.list(run).noneMatch(p -> p.getFileName().toString().equals("verilog")), "RUN is only read");
    }
}
