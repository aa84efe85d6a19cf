package org.qat4j.export.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.prove.CertificateProver;

/** Yosys synthesizes a tiny export (both flows) and the report reads its cells, LUTs and depth. */
class YosysSynthesisTest {

    @TempDir
    Path tmp;

    @Test
    void statCellsAreRead() {
        Map<String, Long> c = YosysSynthesis.cells(List.of(
                "=== net ===",
                "",
                "   Number of wires:                 12",
                "   Number of cells:                 9",
                "     CARRY4                          2",
                "     LUT2                            3",
                "     LUT6                            4",
                "",
                "   Estimated number of LCs:          7"));
        assertEquals(Map.of("CARRY4", 2L, "LUT2", 3L, "LUT6", 4L), c);
    }

    @Test
    void synthesizesATinyDenseLayer() throws IOException {
        IntegerModel m = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 3)
                .addOp(new QuantizeFixedOp(
                        "q",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {2}, new int[] {1}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new DenseOp("d", "q", 3, 2, new int[] {3, -5, 0, 7, 1, -2}, new long[] {1, -4}, 9, null))
                .addOp(new DequantizeFixedOp("out", "d", new int[] {1}))
                .setOutput("out")
                .build();
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        Path d = Files.createDirectories(tmp.resolve("v"));
        VerilogExporter.export(m, CertifiedWidths.check(m, cert, "c"), "tiny", 0, d, "m.json", "0", "0");
        YosysSynthesis.Report x = YosysSynthesis.run(d, "tiny", YosysSynthesis.Flow.XILINX, 1800);
        YosysSynthesis.Report g = YosysSynthesis.run(d, "tiny", YosysSynthesis.Flow.GENERIC, 1800);
        assertTrue(x.luts() > 0, x.toString());
        assertEquals(0, x.flipFlops(), "combinational export: " + x);
        assertTrue(x.logicDepth() > 0, x.toString());
        assertTrue(g.totalCells() > 0 && g.logicDepth() > 0, g.toString());
    }
}
