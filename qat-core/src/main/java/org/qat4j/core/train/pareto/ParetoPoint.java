package org.qat4j.core.train.pareto;

import java.nio.file.Path;

/**
 * One checkpoint on the front: its epoch, validation accuracy (higher is better), resource cost
 * (lower is better; for HGQ the exact EBOPs) and directory.
 */
public record ParetoPoint(int epoch, double accuracy, long cost, Path directory) {

    /** True if this point is at least as good in both objectives and strictly better in one. */
    public boolean dominates(ParetoPoint other) {
        boolean noWorse = accuracy >= other.accuracy && cost <= other.cost;
        boolean better = accuracy > other.accuracy || cost < other.cost;
        return noWorse && better;
    }
}
