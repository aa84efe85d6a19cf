package org.qat4j.examples.recipe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.export.ExportException;
import org.qat4j.export.WidthsManifest;
import org.qat4j.export.verilog.VerilatorLint;
import org.qat4j.export.verilog.YosysSynthesis;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The hardware table of docs/results.md: for each finished HGQ run directory, the Verilog export of its
 * integer model (combinational, into {@code RUN/verilog} unless it exists), linted by {@code verilator
 * --lint-only -Wall}, synthesized by Yosys with {@code synth_xilinx -flatten -nodsp} and with the generic
 * {@code synth}, next to the run's exact EBOPs: HGQ (arXiv 2405.00645 §4) reports EBOPs ≈ LUT + 55·DSP for
 * fully parallel designs; with {@code -nodsp} the ratio LUTs/EBOPs says how close that holds here. Each
 * synthesis is bounded by {@code -Dqat.yosys.timeout=SECONDS} (default 3600); a run that exceeds it gets a
 * row saying so. Wall seconds and Yosys's own CPU seconds (its log; the ABC child process not included) are
 * printed per flow. Long: run from
 * {@code docs/scripts/hardware-table.sh}, not in CI.
 *
 * <pre>java -cp training-examples/target/qat.jar org.qat4j.examples.recipe.HardwareTable runs/hgq-beta-*</pre>
 */
public final class HardwareTable {
    private HardwareTable() {}

    public static void main(String[] args) throws IOException {
        print(List.of(args).stream().map(Path::of).toList(), Long.getLong("qat.yosys.timeout", 3600), System.out);
    }

    /** Exports, synthesizes and prints one markdown row per run. */
    public static void print(List<Path> runs, long timeoutSeconds, PrintStream out) throws IOException {
        out.println(
                "| run | β | test acc. | exact EBOPs | nonzero weights | accumulator bits | verilator -Wall | LUTs (synth_xilinx -nodsp) "
                        + "| CARRY4 | MUXF7/F8 | LUTs / EBOPs | logic depth (cells) | generic synth cells | generic depth | xilinx wall s (Yosys CPU s, "
                        + "without ABC) | generic wall s (Yosys CPU s) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Path run : runs) {
            RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
            IntegerModel model = RunVerilog.model(run);
            Path dir = run.resolve("verilog");
            if (!Files.exists(dir)) {
                RunVerilog.export(run, model, dir);
            }
            long accBits = WidthsManifest.read(dir).registers().stream()
                    .mapToLong(r -> r.declaredBits())
                    .sum();
            long weights = model.ops().stream()
                    .filter(op -> op instanceof DenseOp)
                    .mapToLong(op -> {
                        long n = 0;
                        for (int v : ((DenseOp) op).weights()) {
                            n += v != 0 ? 1 : 0;
                        }
                        return n;
                    })
                    .sum();
            List<String> lint = VerilatorLint.run(dir, "net", timeoutSeconds);
            Map<?, ?> s = m.getExtra().get("settings") instanceof Map<?, ?> map ? map : Map.of();
            Long ebops = m.getEbopsExact();
            Double acc = m.getIntegerTestAccuracy();
            String head = String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %d | %d | %s |",
                    run.getFileName(),
                    s.get("beta") == null ? "–" : s.get("beta"),
                    acc == null ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * acc),
                    ebops == null ? "–" : ebops,
                    weights,
                    accBits,
                    lint.isEmpty() ? "clean" : lint.size() + " messages");
            YosysSynthesis.Report x;
            try {
                x = YosysSynthesis.run(dir, "net", YosysSynthesis.Flow.XILINX, timeoutSeconds);
            } catch (ExportException e) {
                // one table row: the first line of the failure (a timeout says "did not finish within N s")
                out.println(head + " " + failure(e) + " | | | | | | | | |");
                out.flush();
                continue;
            }
            String generic;
            try {
                YosysSynthesis.Report g = YosysSynthesis.run(dir, "net", YosysSynthesis.Flow.GENERIC, timeoutSeconds);
                generic = String.format(
                        Locale.ROOT,
                        "%d | %d | %.0f (%.0f)",
                        g.totalCells(),
                        g.logicDepth(),
                        g.seconds(),
                        g.cpuSeconds());
            } catch (ExportException e) {
                generic = "– | – | " + failure(e);
            }
            long muxf = x.cells().getOrDefault("MUXF7", 0L) + x.cells().getOrDefault("MUXF8", 0L);
            out.printf(
                    Locale.ROOT,
                    "%s %d | %d | %d | %s | %d | %s | %.0f (%.0f) |%n",
                    head,
                    x.luts(),
                    x.cells().getOrDefault("CARRY4", 0L),
                    muxf,
                    ebops == null || ebops == 0 ? "–" : String.format(Locale.ROOT, "%.3f", x.luts() / (double) ebops),
                    x.logicDepth(),
                    generic,
                    x.seconds(),
                    x.cpuSeconds());
            out.flush();
        }
    }

    /** A table cell for a synthesis that failed: the first line of its message ("… did not finish within N s"). */
    static String failure(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.lines().findFirst().orElse("failed").replace('|', '/');
    }
}
