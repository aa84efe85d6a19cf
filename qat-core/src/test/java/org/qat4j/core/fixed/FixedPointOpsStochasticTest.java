package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.OverflowMode;

/**
 * Stochastic rounding {@code floor(y) + [u < frac(y)]} (HGQ, arXiv 2405.00645, Section 3): every output
 * is the floor or the next grid point, and the mean over many draws is x within a statistical bound.
 */
class FixedPointOpsStochasticTest {

    private static final int ELEMENTS = 500;
    private static final int DRAWS = 400;

    @Test
    void outputsLieOnTheFloorOrTheNextGridPointAndAreUnbiased() {
        Engine.getInstance().setRandomSeed(1234);
        Random random = new Random(99);
        float[] x = new float[ELEMENTS];
        float[] f = new float[ELEMENTS];
        for (int e = 0; e < ELEMENTS; e++) {
            f[e] = random.nextInt(9) - 2;
            x[e] = (float) (random.nextGaussian() * 3);
        }
        FakeQuantizeOptions options = FakeQuantizeOptions.builder()
                .optStochastic(true)
                .optOverflow(OverflowMode.SAT)
                .build();
        double[] sum = new double[ELEMENTS];
        int onGridChecks = 0;
        int roundedUp = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xa = manager.create(x);
            NDArray k = manager.ones(new Shape(ELEMENTS));
            NDArray i = manager.full(new Shape(ELEMENTS), 10f); // nothing clips
            NDArray fa = manager.create(f);
            for (int d = 0; d < DRAWS; d++) {
                try (NDArray q = FixedPointOps.fakeQuantize(xa, k, i, fa, options)) {
                    float[] v = q.toFloatArray();
                    for (int e = 0; e < ELEMENTS; e++) {
                        double step = Math.scalb(1.0, -(int) f[e]);
                        double floor = Math.floor(x[e] / step) * step; // exact: power-of-two step
                        assertTrue(v[e] == floor || v[e] == floor + step, "x=" + x[e] + " f=" + f[e] + " gave " + v[e]);
                        roundedUp += v[e] != floor ? 1 : 0;
                        onGridChecks++;
                        sum[e] += v[e];
                    }
                }
            }
        }
        assertEquals(ELEMENTS * DRAWS, onGridChecks);
        assertTrue(roundedUp > 0 && roundedUp < onGridChecks, "both outcomes occur: " + roundedUp);
        // each draw has variance step^2 p(1-p) <= step^2 / 4: the mean of DRAWS draws deviates from x by at
        // most 6 standard deviations (probability < 2e-9 per element)
        double zSum = 0;
        for (int e = 0; e < ELEMENTS; e++) {
            double step = Math.scalb(1.0, -(int) f[e]);
            double bound = 6 * step / (2 * Math.sqrt(DRAWS));
            double mean = sum[e] / DRAWS;
            assertTrue(Math.abs(mean - x[e]) <= bound, "x=" + x[e] + " mean " + mean + " bound " + bound);
            zSum += (mean - x[e]) / (step / (2 * Math.sqrt(DRAWS)));
        }
        // the pooled bias: a sum of ELEMENTS independent terms of variance <= 1
        assertTrue(Math.abs(zSum) / Math.sqrt(ELEMENTS) < 6, "pooled z " + zSum / Math.sqrt(ELEMENTS));
    }

    @Test
    void deterministicModeEqualsTheExactForward() {
        Random random = new Random(5);
        float[] x = new float[1000];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) (random.nextGaussian() * 5);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xa = manager.create(x);
            NDArray k = manager.ones(new Shape(1));
            NDArray i = manager.full(new Shape(1), 2f);
            NDArray f = manager.full(new Shape(1), 3f);
            for (OverflowMode o : new OverflowMode[] {OverflowMode.SAT, OverflowMode.SAT_SYM}) {
                FakeQuantizeOptions options =
                        FakeQuantizeOptions.builder().optOverflow(o).build();
                float[] fake = FixedPointOps.fakeQuantize(xa, k, i, f, options).toFloatArray();
                float[] exact = FixedPointOps.quantize(xa, k, i, f, options.rounding(), o)
                        .toFloatArray();
                for (int e = 0; e < x.length; e++) {
                    assertEquals(Float.floatToRawIntBits(exact[e]), Float.floatToRawIntBits(fake[e]), "x=" + x[e]);
                }
            }
        }
    }
}
