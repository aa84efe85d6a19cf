package org.qat4j.runtime.check;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.cert.CheckReport;

/** What one check run has found so far: problems and per-layer summary rows, in discovery order. */
final class CheckFindings {
    private final List<CheckReport.Problem> problems = new ArrayList<>();
    private final List<CheckReport.Row> rows = new ArrayList<>();
    private long weights;

    void problem(CheckReport.Kind kind, String layer, int channel, String message) {
        problems.add(new CheckReport.Problem(kind, layer, channel, message));
    }

    void row(CheckReport.Row row) {
        rows.add(row);
    }

    void countWeights(long n) {
        weights += n;
    }

    boolean anyFails() {
        return problems.stream().anyMatch(p -> p.kind() == CheckReport.Kind.FAILS);
    }

    CheckReport report() {
        return new CheckReport(List.copyOf(problems), List.copyOf(rows), weights);
    }
}
