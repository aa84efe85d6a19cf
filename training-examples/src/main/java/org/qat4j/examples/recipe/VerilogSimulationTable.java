package org.qat4j.examples.recipe;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.export.Predictions;
import org.qat4j.export.ScratchDirectory;
import org.qat4j.export.verilog.VerilogSimulator;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The Verilog simulation table of docs/results.md: for each finished run directory of a fixed-point (HGQ)
 * recipe, the current combinational Verilog export of its integer model (into a scratch directory),
 * simulated by Icarus Verilog (or Verilator, {@code -Dqat.sim.simulator=VERILATOR}) on the model's recorded
 * test vectors plus {@code -Dqat.sim.random=N} random and {@code -Dqat.sim.adversarial=N} adversarial
 * inputs ({@link Predictions#testInputs}), and compared line by line with the Java runtime's output in
 * {@code qat predict}'s format: the row counts the lines that differ (bit-exact means 0). Long: run from
 * {@code docs/scripts/simulation-table.sh}, not in CI.
 *
 * <pre>java -cp training-examples/target/qat.jar org.qat4j.examples.recipe.VerilogSimulationTable runs/default</pre>
 */
public final class VerilogSimulationTable {
    private VerilogSimulationTable() {}

    public static void main(String[] args) throws IOException {
        print(
                List.of(args).stream().map(Path::of).toList(),
                Integer.getInteger("qat.sim.random", 200),
                Integer.getInteger("qat.sim.adversarial", 200),
                VerilogSimulator.Simulator.valueOf(System.getProperty("qat.sim.simulator", "ICARUS")),
                System.out);
    }

    /** Exports, simulates, compares and prints one markdown row per run. */
    public static void print(
            List<Path> runs, int random, int adversarial, VerilogSimulator.Simulator simulator, PrintStream out)
            throws IOException {
        out.println("| run | recipe | test acc. | Verilog bytes | inputs (recorded + random + adversarial) "
                + "| simulator | simulation wall s | lines that differ from the Java runtime | load average |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Path run : runs) {
            RunMetrics metrics = RunMetrics.read(run.resolve("metrics.json"));
            IntegerModel model = RunVerilog.model(run);
            try (ScratchDirectory scratch = ScratchDirectory.create("qat-simulation-table", Map.of())) {
                Path dir = scratch.path().resolve("verilog");
                RunVerilog.export(run, model, dir);
                long bytes = Files.size(dir.resolve("net.v"));
                float[] x = Predictions.testInputs(model, random, adversarial, 41);
                int samples = x.length / model.tensor(model.inputName()).numel();
                byte[] java = Predictions.predict(model, x);
                long t0 = System.nanoTime();
                byte[] rtl = VerilogSimulator.run(dir, model, x, simulator);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Double acc = metrics.getIntegerTestAccuracy();
                out.printf(
                        Locale.ROOT,
                        "| %s | %s | %s | %,d | %d (%d + %d + %d) | %s | %.0f | %d of %d | %.1f |%n",
                        run.getFileName(),
                        metrics.getRecipe(),
                        acc == null ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * acc),
                        bytes,
                        samples,
                        samples - random - adversarial,
                        random,
                        adversarial,
                        simulator,
                        seconds,
                        Predictions.differingLines(java, rtl),
                        samples,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                out.flush();
            }
        }
    }
}
