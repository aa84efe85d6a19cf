package org.qat4j.core.train.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParetoCheckpointerTest {

    @Test
    void keepsExactlyTheNonDominatedCheckpointsOnDisk(@TempDir Path dir) throws Exception {
        try (Model model = Model.newInstance("tiny")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3));
            ParetoCheckpointer cp = ParetoCheckpointer.builder()
                    .setModel(model)
                    .setDirectory(dir)
                    .setAccuracy(() -> 0)
                    .setCost(() -> 0)
                    .build();
            // (epoch, accuracy, cost)
            double[][] points = {
                {0, 0.70, 900},
                {1, 0.80, 1000},
                {2, 0.75, 800},
                {3, 0.80, 700},
                {4, 0.60, 900},
                {5, 0.90, 1200},
                {6, 0.80, 700},
                {7, 0.85, 650}
            };
            for (double[] p : points) {
                cp.offer((int) p[0], p[1], (long) p[2]);
            }
            // brute force: non-dominated points, first occurrence of duplicates
            Set<Integer> expected = new TreeSet<>();
            for (int a = 0; a < points.length; a++) {
                boolean dominated = false;
                for (int b = 0; b < points.length; b++) {
                    boolean noWorse = points[b][1] >= points[a][1] && points[b][2] <= points[a][2];
                    boolean better = points[b][1] > points[a][1] || points[b][2] < points[a][2];
                    boolean earlierTwin = b < a && points[b][1] == points[a][1] && points[b][2] == points[a][2];
                    dominated |= (noWorse && better) || earlierTwin;
                }
                if (!dominated) {
                    expected.add(a);
                }
            }
            assertEquals(Set.of(5, 7), expected);
            Set<Integer> kept =
                    cp.getFront().stream().map(ParetoPoint::epoch).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, kept);
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names =
                        files.map(p -> p.getFileName().toString()).sorted().toList();
                assertEquals(List.of("epoch-0005", "epoch-0007", ParetoCheckpointer.INDEX), names);
            }
            assertTrue(Files.exists(dir.resolve("epoch-0007").resolve("tiny-0000.params")));
            List<String> index = Files.readAllLines(dir.resolve(ParetoCheckpointer.INDEX));
            assertEquals(3, index.size());
            assertTrue(index.get(1).startsWith("7\t0.85"), index.get(1));
            assertFalse(cp.offer(8, 0.85, 650));
        }
    }
}
