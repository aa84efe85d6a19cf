package org.qat4j.examples.recipe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.qat4j.examples.run.RunMetrics;

/**
 * A Markdown table of finished runs, one row per run directory, read from their {@code metrics.json}
 * (used to write {@code docs/results.md} from real runs). Usage: {@code ResultsTable RUN_DIR...}.
 */
public final class ResultsTable {

    private ResultsTable() {}

    /** Prints the table of the given run directories. */
    public static void main(String[] args) throws IOException {
        print(List.of(args).stream().map(Path::of).toList(), System.out);
    }

    /** Writes the table of {@code runs} to {@code out}. */
    public static void print(List<Path> runs, PrintStream out) throws IOException {
        out.println("| run | recipe | variant | P | β | uniform B | epochs | train samples | acc. after init "
                + "| float acc. | integer acc. | exact EBOPs | bit-exact mismatches / inputs | certificate | wall s |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Path run : runs) {
            RunMetrics m = RunMetrics.read(run.resolve("metrics.json"));
            Map<?, ?> s = m.getExtra().get("settings") instanceof Map<?, ?> map ? map : Map.of();
            Object init = m.getExtra().get("testAccuracyAfterInit");
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    run.getFileName(),
                    m.getRecipe(),
                    text(s.get("variant")),
                    integer(s.get("accumulatorBits")),
                    text(s.get("beta")),
                    integer(s.get("uniformBits")),
                    m.getEpochs(),
                    integer(m.getExtra().get("trainSamples")),
                    percent(init instanceof Number n ? n.doubleValue() : null),
                    percent(m.getFloatTestAccuracy()),
                    percent(m.getIntegerTestAccuracy()),
                    m.getEbopsExact() == null ? "–" : m.getEbopsExact(),
                    m.getBitExactInputs() == null
                            ? "not exported"
                            : m.getBitExactMismatches() + " / " + m.getBitExactInputs(),
                    m.getCertificateValid() == null ? "–" : m.getCertificateValid() ? "valid" : "INVALID",
                    m.getWallSeconds() == null ? "–" : String.format(Locale.ROOT, "%.0f", m.getWallSeconds()));
        }
    }

    private static String percent(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String text(Object v) {
        return v == null ? "–" : v.toString();
    }

    private static String integer(Object v) {
        return v instanceof Number n ? Long.toString(n.longValue()) : text(v);
    }
}
