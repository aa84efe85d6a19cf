package org.qat4j.core.train.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {

    @Test
    void keepsOnlyUndominatedPointsSortedByCost() {
        List<ParetoPoint> points = List.of(
                new ParetoPoint("a", 0.70, 1000),
                new ParetoPoint("b", 0.75, 4000),
                new ParetoPoint("c", 0.72, 5000),
                new ParetoPoint("d", 0.70, 900),
                new ParetoPoint("e", 0.76, 4000));
        assertEquals(
                List.of("d", "e"),
                ParetoFront.of(points).stream().map(ParetoPoint::label).toList());
    }

    /** Small integer grids make ties and duplicates common. */
    @Property(tries = 300)
    void frontIsExactlyTheSetOfUndominatedPoints(
            @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 0, max = 6) Integer> accuracies,
            @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 0, max = 6) Integer> costs) {
        int n = Math.min(accuracies.size(), costs.size());
        List<ParetoPoint> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new ParetoPoint("p" + i, accuracies.get(i) / 6.0, costs.get(i)));
        }
        List<ParetoPoint> front = ParetoFront.of(points);
        for (ParetoPoint f : front) {
            for (ParetoPoint p : points) {
                assertFalse(p.dominates(f), p + " dominates front point " + f);
            }
        }
        for (ParetoPoint p : points) {
            boolean onFront = front.stream().anyMatch(f -> f.accuracy() == p.accuracy() && f.ebops() == p.ebops());
            boolean dominated = points.stream().anyMatch(q -> q.dominates(p));
            assertTrue(onFront != dominated, p + ": on the front iff undominated");
        }
        for (int i = 1; i < front.size(); i++) {
            assertTrue(front.get(i).ebops() > front.get(i - 1).ebops());
            assertTrue(front.get(i).accuracy() > front.get(i - 1).accuracy());
        }
    }
}
