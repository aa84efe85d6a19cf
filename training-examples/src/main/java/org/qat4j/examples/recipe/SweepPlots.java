package org.qat4j.examples.recipe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.qat4j.core.train.pareto.ParetoFront;
import org.qat4j.core.train.pareto.ParetoPoint;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.examples.run.RunPlots;

/**
 * The plots of a sweep of finished runs, read from their {@code metrics.json} (used for
 * {@code docs/img}). Usage:
 * <pre>
 *   SweepPlots pareto OUT.png RUN_DIR...   HGQ runs (Pareto front, arXiv 2405.00645 §5) against --uniform-bits runs
 *   SweepPlots a2q OUT.png RUN_DIR...      integer-model accuracy against P per variant (arXiv 2401.10432 Fig. 3)
 * </pre>
 * Every point is a run's exported integer model: its test accuracy in the pure-Java runtime and, for
 * HGQ, its exact EBOPs.
 */
public final class SweepPlots {

    private SweepPlots() {}

    /** Draws the plot named by {@code args[0]} into {@code args[1]} from the runs that follow. */
    public static void main(String[] args) throws IOException {
        if (args.length < 3 || !(args[0].equals("pareto") || args[0].equals("a2q"))) {
            throw new IllegalArgumentException(
                    "usage: SweepPlots pareto|a2q OUT.png RUN_DIR..., got " + String.join(" ", args));
        }
        List<Path> runs = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            runs.add(Path.of(args[i]));
        }
        Path png = Path.of(args[1]);
        if (args[0].equals("pareto")) {
            pareto(runs, png);
        } else {
            a2q(runs, png);
        }
        System.out.println(png.toAbsolutePath());
    }

    /** HGQ runs and their front against the uniform baselines; returns the HGQ front. */
    public static List<ParetoPoint> pareto(List<Path> runs, Path png) throws IOException {
        List<ParetoPoint> hgq = new ArrayList<>();
        List<ParetoPoint> uniform = new ArrayList<>();
        String recipe = null;
        for (Path run : runs) {
            RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
            recipe = m.getRecipe();
            if (m.getEbopsExact() == null || m.getIntegerTestAccuracy() == null) {
                throw new IllegalArgumentException(run + ": metrics.json has no exported integer model with exact "
                        + "EBOPs (an HGQ run that finished its export is needed)");
            }
            Map<?, ?> s = settings(m);
            if (s.get("uniformBits") instanceof Number b) {
                uniform.add(new ParetoPoint(
                        "uniform " + b.intValue() + "-bit", m.getIntegerTestAccuracy(), m.getEbopsExact()));
            } else {
                String beta = s.get("beta") == null
                        ? "default"
                        : String.format(Locale.ROOT, "%.0e", ((Number) s.get("beta")).doubleValue());
                hgq.add(new ParetoPoint("β " + beta, m.getIntegerTestAccuracy(), m.getEbopsExact()));
            }
        }
        RunPlots.frontVsBaselines(recipe + ": HGQ vs uniform fixed point", hgq, uniform, png);
        return ParetoFront.of(hgq);
    }

    /** Integer-model test accuracy against P, one line per variant. */
    public static void a2q(List<Path> runs, Path png) throws IOException {
        Map<String, SortedMap<Integer, Double>> byVariant = new TreeMap<>();
        String recipe = null;
        for (Path run : runs) {
            RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
            recipe = m.getRecipe();
            Map<?, ?> s = settings(m);
            if (!(s.get("accumulatorBits") instanceof Number p)
                    || s.get("variant") == null
                    || m.getIntegerTestAccuracy() == null) {
                throw new IllegalArgumentException(run + ": not an exported A2Q run with --variant and --acc-bits");
            }
            byVariant
                    .computeIfAbsent(s.get("variant").toString().toUpperCase(Locale.ROOT), k -> new TreeMap<>())
                    .put(p.intValue(), m.getIntegerTestAccuracy());
        }
        RunPlots.accuracyVsAccumulatorBits(
                recipe + ": integer-model test accuracy vs accumulator bits P", byVariant, png);
    }

    private static Map<?, ?> settings(RunMetrics m) {
        return m.getExtra().get("settings") instanceof Map<?, ?> map ? map : Map.of();
    }
}
