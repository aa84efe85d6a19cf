package org.qat4j.ptq.multipoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipointApproximationTest {

    private static double[] gaussian(Random rnd, int n, double s) {
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            w[j] = rnd.nextGaussian() * s;
        }
        return w;
    }

    private static double sq(double[] r) {
        double e = 0;
        for (double x : r) {
            e += x * x;
        }
        return e;
    }

    @Test
    void brentScaleIsNoWorseThanMinMaxAndCodesStayInRange() {
        Random rnd = new Random(1);
        for (int t = 0; t < 100; t++) {
            double[] w = gaussian(rnd, 64, 1);
            for (int bits : new int[] {2, 3, 4}) {
                MultipointApproximation.Point p = MultipointApproximation.fit(w, bits);
                double maxAbs = 0;
                for (double x : w) {
                    maxAbs = Math.max(maxAbs, Math.abs(x));
                }
                int top = (1 << (bits - 1)) - 1;
                assertTrue(MultipointApproximation.error(w, p.scale(), bits)
                        <= MultipointApproximation.error(w, maxAbs / top, bits));
                for (int q : p.codes()) {
                    assertTrue(Math.abs(q) <= top);
                }
                assertEquals(
                        MultipointApproximation.error(w, p.scale(), bits),
                        sq(MultipointApproximation.residual(w, List.of(p))),
                        1e-9);
            }
        }
    }

    @Test
    void eachGreedyPointReducesTheResidual() {
        Random rnd = new Random(2);
        for (int t = 0; t < 30; t++) {
            double[] w = gaussian(rnd, 48, 0.5);
            double prev = sq(w);
            for (int n = 1; n <= 4; n++) {
                double e = sq(MultipointApproximation.residual(w, MultipointApproximation.greedy(w, 3, n)));
                assertTrue(e <= prev, "points " + n + ": " + e + " > " + prev);
                prev = e;
            }
            assertTrue(prev < 0.01 * sq(w), "4 three-bit points leave " + prev / sq(w) + " of the energy");
        }
    }

    @Test
    void extraPointsGoToTheChannelsWithTheLargestOutputError() {
        Random rnd = new Random(3);
        double[][] w = new double[6][];
        for (int o = 0; o < 6; o++) {
            w[o] = gaussian(rnd, 32, o == 4 ? 10 : 0.1); // channel 4 carries almost all the output error
        }
        double[][] x = new double[50][];
        for (int s = 0; s < 50; s++) {
            x[s] = gaussian(rnd, 32, 1);
        }
        List<List<MultipointApproximation.Point>> pts = MultipointApproximation.allocate(w, x, 2, 3);
        assertEquals(4, pts.get(4).size());
        int total = 0;
        for (List<MultipointApproximation.Point> p : pts) {
            total += p.size();
        }
        assertEquals(6 + 3, total);
    }
}
