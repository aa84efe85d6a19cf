package org.qat4j.export.verilog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qat4j.export.ExportException;
import org.qat4j.export.ScratchDirectory;
import org.qat4j.export.Toolchain;

/**
 * Synthesizes exported Verilog with Yosys and reports what the hardware costs: {@code synth_xilinx
 * -flatten -nodsp} (LUT-only mapping, as HGQ's resource comparisons count LUTs; arXiv 2405.00645 §4
 * argues EBOPs ≈ LUT + 55·DSP) and a technology-independent {@code synth -flatten} run. Each report gives
 * the cell counts of Yosys's {@code stat}, LUTs (LUT1…LUT6), flip-flops, carry and mux cells, and the
 * logic depth: the number of cells on the longest combinational path ({@code ltp -noff}).
 */
public final class YosysSynthesis {
    private static final Pattern CELL = Pattern.compile("^\\s+(\\$?[A-Za-z_][A-Za-z0-9_$]*)\\s+(\\d+)\\s*$");
    private static final Pattern LTP = Pattern.compile("Longest topological path in \\S+ \\(length=(\\d+)\\)");
    private static final Pattern CPU = Pattern.compile("CPU: user ([0-9.]+)s system ([0-9.]+)s");

    private YosysSynthesis() {}

    /** The flows. */
    public enum Flow {
        /** {@code synth_xilinx -flatten -nodsp}: 6-input LUTs, CARRY4, MUXF7/8, flip-flops; no DSP blocks. */
        XILINX("synth_xilinx -flatten -nodsp -top %s"),
        /** {@code synth -flatten}: Yosys's generic gate library. */
        GENERIC("synth -flatten -top %s");

        private final String command;

        Flow(String command) {
            this.command = command;
        }
    }

    /**
     * One synthesis result.
     *
     * @param flow the flow
     * @param cells cell type → count, from {@code stat}
     * @param luts LUT1…LUT6 cells (0 for the generic flow)
     * @param flipFlops flip-flop cells
     * @param logicDepth cells on the longest combinational path
     * @param seconds wall time of the Yosys run
     * @param cpuSeconds user + system CPU time Yosys reported for itself (NaN if it printed none); ABC runs as a child
     *     process and is not included
     */
    public record Report(
            Flow flow,
            Map<String, Long> cells,
            long luts,
            long flipFlops,
            int logicDepth,
            double seconds,
            double cpuSeconds) {
        /** All cells. */
        public long totalCells() {
            return cells.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Synthesizes {@code dir/<module>.v} with {@code flow} (in a temporary copy; DIR is only read). */
    public static Report run(Path dir, String module, Flow flow, long timeoutSeconds) throws IOException {
        Toolchain.require("yosys", "yosys");
        try (ScratchDirectory scratch = ScratchDirectory.create(
                "qat-yosys", Map.of(module + ".v", Files.readAllBytes(dir.resolve(module + ".v"))))) {
            Path build = scratch.path();
            String script = "read_verilog " + module + ".v; " + String.format(flow.command, module)
                    + "; tee -q -o stat.txt stat; " + "tee -q -o ltp.txt ltp -noff";
            long t0 = System.nanoTime();
            Toolchain.runOk(List.of("yosys", "-q", "-l", "yosys.log", "-p", script), build, null, timeoutSeconds);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Long> cells = cells(Files.readAllLines(build.resolve("stat.txt")));
            Matcher m = LTP.matcher(Files.readString(build.resolve("ltp.txt")));
            if (!m.find()) {
                throw new ExportException("yosys ltp printed no longest path for " + module);
            }
            long luts = 0;
            long ffs = 0;
            for (Map.Entry<String, Long> c : cells.entrySet()) {
                String n = c.getKey();
                if (n.matches("LUT[1-6]")) {
                    luts += c.getValue();
                } else if (n.matches("FD[A-Z]*") || n.matches("\\$_S?DFF.*") || n.matches("\\$_DFFE?_.*")) {
                    ffs += c.getValue();
                }
            }
            Matcher cpu = CPU.matcher(Files.readString(build.resolve("yosys.log")));
            double cpuSeconds = Double.NaN;
            while (cpu.find()) {
                cpuSeconds = Double.parseDouble(cpu.group(1)) + Double.parseDouble(cpu.group(2));
            }
            return new Report(flow, cells, luts, ffs, Integer.parseInt(m.group(1)), seconds, cpuSeconds);
        }
    }

    /** The "Number of cells" breakdown of {@code stat}. */
    static Map<String, Long> cells(List<String> stat) {
        Map<String, Long> out = new LinkedHashMap<>();
        boolean inCells = false;
        for (String l : stat) {
            if (l.contains("Number of cells")) {
                inCells = true;
                continue;
            }
            if (inCells) {
                Matcher m = CELL.matcher(l);
                if (m.matches()) {
                    out.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
                } else if (!l.isBlank()) {
                    inCells = false;
                }
            }
        }
        return out;
    }
}
