package org.qat4j.ptq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClipSearchTest {

    private static double[] laplace(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() - 0.5;
            x[i] = -Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
        }
        return x;
    }

    @Test
    void gridQuantizesHalfEvenAndClamps() {
        UniformGrid w = UniformGrid.weights(4);
        assertEquals(-7, w.qMin());
        assertEquals(7, w.qMax());
        assertEquals(2, w.toInteger(2.5, 1.0)); // half to even
        assertEquals(-7, w.toInteger(-100, 1.0));
        UniformGrid a = UniformGrid.activations(4, false);
        assertEquals(0, a.toInteger(-3, 1.0));
        assertEquals(15, a.toInteger(40, 1.0));
        assertEquals(-8, UniformGrid.activations(4, true).qMin());
    }

    @Test
    void lpErrorOfAKnownVector() {
        // grid ±1 (2 bits), α = 1: Q(0.4) = 0, Q(-0.6) = -1, Q(2) = 1 → errors 0.4, 0.4, 1
        double e = ClippingError.lp(new double[] {0.4, -0.6, 2}, UniformGrid.weights(2), 1, 2);
        assertEquals((0.16 + 0.16 + 1) / 3, e, 1e-12);
    }

    @Test
    void brentFindsTheGridMinimumOfTheMseAt4Bits() {
        double[] x = laplace(4000, 1);
        UniformGrid g = UniformGrid.weights(4);
        double range = ClipSearch.range(x, g);
        double brent = ClipSearch.lpOptimal(x, g, 2);
        double best = Double.MAX_VALUE;
        for (int i = 1; i <= 2000; i++) {
            best = Math.min(best, ClippingError.lp(x, g, range * i / 2000, 2));
        }
        double found = ClippingError.lp(x, g, brent, 2);
        assertTrue(
                brent < range * 0.6,
                "a heavy-tailed tensor is clipped well inside its range: " + brent + " vs " + range);
        assertTrue(found <= best * 1.02, "Brent " + found + " vs grid minimum " + best);
        assertTrue(found < ClippingError.lp(x, g, range, 2) / 2);
    }

    @Test
    void largerPClipsWider() {
        double[] x = laplace(4000, 2);
        UniformGrid g = UniformGrid.weights(3);
        assertTrue(ClipSearch.lpOptimal(x, g, 2) < ClipSearch.lpOptimal(x, g, 4));
    }

    @Test
    void percentileOfUnsignedUsesThePositivePart() {
        double[] x = new double[101];
        for (int i = 0; i <= 100; i++) {
            x[i] = i - 50;
        }
        assertEquals(50, ClipSearch.percentile(x, UniformGrid.activations(8, false), 100), 0);
        assertEquals(50, ClipSearch.range(x, UniformGrid.weights(8)), 0);
        assertEquals(50, ClipSearch.range(x, UniformGrid.activations(8, false)), 0);
        assertTrue(ClipSearch.percentile(x, UniformGrid.weights(8), 50) < 30);
    }

    @Test
    void allZeroTensorGetsAPositiveClip() {
        double[] z = new double[10];
        assertTrue(ClipSearch.lpOptimal(z, UniformGrid.weights(4), 2) > 0);
        assertTrue(ClipSearch.percentile(z, UniformGrid.weights(4), 99) > 0);
    }
}
