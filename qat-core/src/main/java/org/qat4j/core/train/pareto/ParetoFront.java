package org.qat4j.core.train.pareto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto front of trained models: the points no other point dominates (higher-or-equal accuracy
 * at lower-or-equal EBOPs, strictly better in one), as HGQ reports its results (arXiv 2405.00645 §5).
 * Sorted by EBOPs ascending; on the front, accuracy then increases strictly.
 */
public final class ParetoFront {

    private ParetoFront() {}

    /** The non-dominated points of {@code points}, by EBOPs ascending (duplicates kept once). */
    public static List<ParetoPoint> of(List<ParetoPoint> points) {
        List<ParetoPoint> sorted = new ArrayList<>(points);
        for (ParetoPoint p : sorted) {
            if (Double.isNaN(p.accuracy()) || Double.isNaN(p.ebops())) {
                throw new IllegalArgumentException("Pareto point with NaN: " + p);
            }
        }
        // Cheapest first; among equal cost the most accurate first, so one sweep keeps the best.
        sorted.sort(Comparator.comparingDouble(ParetoPoint::ebops)
                .thenComparing(Comparator.comparingDouble(ParetoPoint::accuracy).reversed()));
        List<ParetoPoint> front = new ArrayList<>();
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        for (ParetoPoint p : sorted) {
            if (p.accuracy() > bestAccuracy) {
                front.add(p);
                bestAccuracy = p.accuracy();
            }
        }
        return front;
    }
}
