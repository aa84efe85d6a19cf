package org.qat4j.examples.recipe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.qat4j.examples.run.RunMetrics;

/**
 * Markdown tables of PTQ runs ({@code qat ptq}) next to their float run and to QAT runs at the same widths
 * ({@code qat train --uniform-bits B}, W = A = B), read from each run's {@code metrics.json}: integer-model test
 * accuracy per method (rows) and widths (columns), then one line per run with PTQ (or training) time, the run's
 * wall time (quantization or training, export and verification), bit-exactness and the certificate; a run
 * directory without {@code metrics.json} (a run that was stopped or failed) is named on a last line. Usage:
 * {@code PtqResultsTable RUN_DIR...}.
 */
public final class PtqResultsTable {

    private PtqResultsTable() {}

    /** Prints the tables of the given run directories. */
    public static void main(String[] args) throws IOException {
        print(List.of(args).stream().map(Path::of).toList(), System.out);
    }

    /** One finished run: its row and column in the matrix, and what it measured. */
    private record Cell(Path run, String row, String column, RunMetrics metrics, Double seconds) {}

    /** Writes the tables of {@code runs} to {@code out}. */
    public static void print(List<Path> runs, PrintStream out) throws IOException {
        List<Cell> cells = new ArrayList<>();
        List<String> unfinished = new ArrayList<>();
        for (Path run : runs) {
            Path metrics = run.resolve("metrics.json");
            if (Files.exists(metrics)) {
                cells.add(cell(run, RunMetrics.read(metrics)));
            } else {
                unfinished.add(String.valueOf(run.getFileName()));
            }
        }
        List<String> columns = new ArrayList<>(new TreeSet<>(cells.stream()
                        .map(Cell::column)
                        .filter(c -> !c.equals("float"))
                        .toList())
                .descendingSet());
        Map<String, Map<String, Cell>> matrix = new LinkedHashMap<>();
        for (Cell c : cells) {
            matrix.computeIfAbsent(c.row(), k -> new LinkedHashMap<>()).put(c.column(), c);
        }
        out.println("| method | " + String.join(" | ", columns) + " |");
        out.println("|---|" + "---|".repeat(columns.size()));
        for (Map.Entry<String, Map<String, Cell>> row : matrix.entrySet()) {
            StringBuilder b = new StringBuilder("| " + row.getKey() + " |");
            for (String col : columns) {
                Cell c = row.getValue().containsKey("float")
                        ? row.getValue().get("float")
                        : row.getValue().get(col);
                b.append(' ')
                        .append(c == null ? "–" : percent(accuracy(c.metrics())))
                        .append(" |");
            }
            out.println(b);
        }
        out.println();
        out.println("| run | method | widths | integer acc. | float model acc. | PTQ / training s | wall s"
                + " | bit-exact mismatches / inputs | certificate |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Cell c : cells) {
            RunMetrics m = c.metrics();
            Object floatAcc = m.getExtra().get("floatModelTestAccuracy");
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    c.run().getFileName(),
                    c.row(),
                    c.column(),
                    percent(m.getIntegerTestAccuracy()),
                    percent(floatAcc instanceof Number n ? n.doubleValue() : m.getFloatTestAccuracy()),
                    seconds(c.seconds()),
                    seconds(m.getWallSeconds()),
                    m.getBitExactInputs() == null
                            ? "not exported"
                            : m.getBitExactMismatches() + " / " + m.getBitExactInputs(),
                    m.getCertificateValid() == null ? "–" : m.getCertificateValid() ? "valid" : "INVALID");
        }
        if (!unfinished.isEmpty()) {
            out.println();
            out.println("Not finished (no metrics.json): " + String.join(", ", unfinished));
        }
    }

    private static Cell cell(Path run, RunMetrics m) {
        if (m.getExtra().get("ptq") instanceof Map<?, ?> p) {
            Object acc = p.get("accBits");
            String method = p.get("method") + (acc instanceof Number n ? " P=" + n.intValue() : "");
            String widths = "W" + integer(p.get("weightBits")) + "A" + integer(p.get("actBits"))
                    + (p.get("firstLastBits") instanceof Number f ? " (first/last W" + f.intValue() + ")" : "");
            Object s = m.getExtra().get("ptqSeconds");
            return new Cell(run, method, widths, m, s instanceof Number n ? n.doubleValue() : null);
        }
        Map<?, ?> s = m.getExtra().get("settings") instanceof Map<?, ?> map ? map : Map.of();
        if (FloatPlan.VARIANT.equals(s.get("variant"))) {
            return new Cell(run, "float (" + m.getEpochs() + " epochs)", "float", m, m.getWallSeconds());
        }
        if (s.get("uniformBits") instanceof Number b) {
            int a = s.get("uniformActivationBits") instanceof Number n ? n.intValue() : b.intValue();
            return new Cell(
                    run,
                    "QAT uniform (" + m.getEpochs() + " epochs)",
                    "W" + b.intValue() + "A" + a,
                    m,
                    m.getWallSeconds());
        }
        throw new IllegalArgumentException(
                run + ": neither a qat ptq run, a --variant float run nor a --uniform-bits run");
    }

    private static Double accuracy(RunMetrics m) {
        return m.getIntegerTestAccuracy() != null ? m.getIntegerTestAccuracy() : m.getFloatTestAccuracy();
    }

    private static String percent(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String seconds(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String integer(Object v) {
        return v instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(v);
    }
}
