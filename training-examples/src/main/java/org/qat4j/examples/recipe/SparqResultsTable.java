package org.qat4j.examples.recipe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.qat4j.examples.run.RunMetrics;

/**
 * The SPARQ table of {@code docs/results.md} (arXiv 2105.11010): one row per {@code qat ptq} run — plain activations
 * or SPARQ with its windows, rounding and pairing — with the integer model's test accuracy, its difference to the
 * first run (the plain 8-bit one), how the test set's activation pairs were served (counted on the integer runtime's
 * tensors), bit-exactness and the certificate, read from each run's {@code metrics.json}.
 * Usage: {@code SparqResultsTable RUN_DIR...}.
 */
public final class SparqResultsTable {

    private SparqResultsTable() {}

    /** Prints the table of the given run directories. */
    public static void main(String[] args) throws IOException {
        print(List.of(args).stream().map(Path::of).toList(), System.out);
    }

    /** Writes the table of {@code runs} to {@code out}; accuracy differences are to the first run. */
    public static void print(List<Path> runs, PrintStream out) throws IOException {
        out.println(
                "| activations | integer test acc. | Δ vs first row | pairs with one zero (8-bit) | pairs with two zeros"
                        + " | pairs through 4-bit windows | windowed values changed | bit-exact mismatches / inputs | certificate |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        Double first = null;
        for (Path run : runs) {
            RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
            Map<?, ?> p = m.getExtra().get("ptq") instanceof Map<?, ?> map ? map : null;
            if (p == null) {
                throw new IllegalArgumentException(run + ": not a qat ptq run");
            }
            double acc = m.getIntegerTestAccuracy();
            first = first == null ? acc : first;
            String label;
            String pairs = "–";
            String both = "–";
            String windowed = "–";
            String changed = "–";
            if (m.getExtra().get("sparq") instanceof Map<?, ?> s
                    && m.getExtra().get("sparqPairs") instanceof Map<?, ?> c) {
                boolean vsparq = Boolean.TRUE.equals(s.get("pairs"));
                label = "A8 SPARQ " + number(s.get("windows")) + "opt "
                        + (Boolean.TRUE.equals(s.get("rounding")) ? "round" : "trunc")
                        + (vsparq ? " + vSPARQ" : " (bSPARQ only)");
                double total = ((Number) c.get("pairs")).doubleValue();
                long one = ((Number) c.get("oneZero")).longValue();
                long two = ((Number) c.get("bothZero")).longValue();
                pairs = percent(one / total) + (vsparq ? "" : " (windowed anyway)");
                both = percent(two / total);
                windowed = percent((total - one - two) / total);
                changed = percent(((Number) c.get("changedValues")).doubleValue()
                                / ((Number) c.get("trimmedValues")).doubleValue())
                        + " of " + number(c.get("trimmedValues"));
            } else {
                label = "A" + number(p.get("actBits")) + " " + p.get("method");
            }
            out.printf(
                    Locale.ROOT,
                    "| %s (W%s) | %s | %+.2f | %s | %s | %s | %s | %s | %s |%n",
                    label,
                    number(p.get("weightBits")),
                    percent(acc),
                    100 * (acc - first),
                    pairs,
                    both,
                    windowed,
                    changed,
                    m.getBitExactMismatches() + " / " + m.getBitExactInputs(),
                    Boolean.TRUE.equals(m.getCertificateValid()) ? "valid" : "INVALID");
        }
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String number(Object v) {
        return v instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(v);
    }
}
