package org.qat4j.examples.recipe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.Sha256;
import org.qat4j.export.verilog.VerilogExporter;
import org.qat4j.export.verilog.YosysSynthesis;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;

/**
 * The hardware table of docs/results.md: for each finished HGQ run directory, the Verilog export of its
 * integer model (combinational, into {@code RUN/verilog} unless it exists), synthesized by Yosys with
 * {@code synth_xilinx -flatten -nodsp} and with the generic {@code synth}, next to the run's exact EBOPs:
 * HGQ (arXiv 2405.00645 §4) reports EBOPs ≈ LUT + 55·DSP for fully parallel designs; with {@code -nodsp}
 * the ratio LUTs/EBOPs says how close that holds here. Long: run from {@code docs/scripts/hardware-table.sh},
 * not in CI.
 *
 * <pre>java -cp training-examples/target/qat.jar org.qat4j.examples.recipe.HardwareTable runs/hgq-beta-*</pre>
 */
public final class HardwareTable {
    private HardwareTable() {}

    public static void main(String[] args) throws IOException {
        print(List.of(args).stream().map(Path::of).toList(), System.out);
    }

    /** Exports, synthesizes and prints one markdown row per run. */
    public static void print(List<Path> runs, PrintStream out) throws IOException {
        out.println("| run | β | exact EBOPs | accumulator bits | LUTs (synth_xilinx -nodsp) | CARRY4 | LUTs / EBOPs | logic depth (cells) "
                + "| generic synth cells | generic depth | yosys s |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Path run : runs) {
            RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
            Path modelFile = run.resolve("integer-model.json");
            Path certFile = run.resolve("certificate.json");
            IntegerModel model = ModelReader.read(modelFile);
            Path dir = run.resolve("verilog");
            if (!Files.exists(dir)) {
                CertifiedWidths w = CertifiedWidths.check(model, Files.readString(certFile), certFile.toString());
                AtomicFiles.writeDirectory(dir, d -> VerilogExporter.export(model, w, "net", 0, d, modelFile.getFileName().toString(),
                        Sha256.of(modelFile), Sha256.of(certFile)));
            }
            long accBits = org.qat4j.export.WidthsManifest.read(dir).registers().stream().mapToLong(r -> r.declaredBits()).sum();
            YosysSynthesis.Report x = YosysSynthesis.run(dir, "net", YosysSynthesis.Flow.XILINX, 24 * 3600);
            YosysSynthesis.Report g = YosysSynthesis.run(dir, "net", YosysSynthesis.Flow.GENERIC, 24 * 3600);
            Map<?, ?> s = m.getExtra().get("settings") instanceof Map<?, ?> map ? map : Map.of();
            Long ebops = m.getEbopsExact();
            out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %s | %d | %d | %d | %.0f |%n", run.getFileName(), s.get("beta"),
                    ebops == null ? "–" : ebops, accBits, x.luts(), x.cells().getOrDefault("CARRY4", 0L),
                    ebops == null || ebops == 0 ? "–" : String.format(Locale.ROOT, "%.2f", x.luts() / (double) ebops), x.logicDepth(),
                    g.totalCells(), g.logicDepth(), x.seconds() + g.seconds());
            out.flush();
        }
    }
}
