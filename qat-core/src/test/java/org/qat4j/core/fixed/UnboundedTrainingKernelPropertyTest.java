package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Property: for float32 inputs from random bit patterns, grid points, ties and their neighbours, with a
 * different (non-integer) fractional bit width per element, the on-device training quantizer's values
 * and mantissas equal the pure-Java {@link FixedPoint} bit for bit, on both storage paths and every
 * rounding mode (the bits rounded half to even, as {@code Math.rint}).
 */
class UnboundedTrainingKernelPropertyTest {

    private static final int ELEMENTS = 64;

    /** 300 tries x 64 elements x 2 paths. */
    @Property(tries = 300)
    void valuesEqualTheIntegerReference(@ForAll long seed, @ForAll @IntRange(max = 6) int roundingIndex) {
        Random random = new Random(seed);
        RoundingMode r = RoundingMode.values()[roundingIndex];
        float[] x = new float[ELEMENTS];
        float[] f = new float[ELEMENTS];
        int[] fr = new int[ELEMENTS];
        for (int e = 0; e < ELEMENTS; e++) {
            int bits = random.nextInt(49) - 24;
            float offset = random.nextInt(4) == 0 ? 0.5f : (float) (random.nextDouble() * 0.98 - 0.49);
            f[e] = bits + offset;
            fr[e] = (int) Math.rint(f[e]);
            x[e] = randomX(random, fr[e]);
        }
        for (boolean reuse : new boolean[] {false, true}) {
            // jqwik runs outside JUnit's lifecycle: a manager per try
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray xs = m.create(x, new Shape(ELEMENTS));
                NDArray fs = m.create(f, new Shape(ELEMENTS));
                TrainingQuantization t = UnboundedTrainingKernel.fakeQuantize(xs, fs, r, 1.0, true, reuse);
                float[] got = t.value().toFloatArray();
                float[] mantissa = t.mantissa().toFloatArray();
                for (int e = 0; e < ELEMENTS; e++) {
                    long want = FixedPoint.quantize(
                            x[e], new FixedFormat(1, Math.min(64, 62 - fr[e]), fr[e]), r, OverflowMode.SAT);
                    float value = (float) Math.scalb((double) want, -fr[e]) + 0f;
                    String where = r + (reuse ? " reusing storage" : "") + " x=" + x[e] + " f=" + f[e];
                    assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits(got[e]), "value " + where);
                    assertEquals((double) want, (double) mantissa[e] + 0.0, "mantissa " + where);
                }
            }
        }
    }

    /**
     * Finite float32 values with {@code |x 2^f|} below {@code 2^50} and below the reference format's range
     * ({@code 2^(i + f)} with {@code i = min(64, 62 − f)}): bit patterns, grid points, ties and neighbours.
     */
    private static float randomX(Random random, int f) {
        double step = Math.scalb(1.0, -f);
        float x;
        do {
            switch (random.nextInt(4)) {
                case 0:
                    x = Float.intBitsToFloat(random.nextInt());
                    break;
                case 1:
                    x = (float) ((random.nextInt(2001) - 1000) * step);
                    break;
                case 2:
                    x = (float) ((random.nextInt(2001) - 1000 + 0.5) * step);
                    break;
                default:
                    float tie = (float) ((random.nextInt(2001) - 1000 + 0.5) * step);
                    x = random.nextBoolean() ? Math.nextUp(tie) : Math.nextDown(tie);
            }
        } while (!Float.isFinite(x) || Math.abs(Math.scalb((double) x, f)) >= Math.scalb(1.0, Math.min(50, 63 + f)));
        return x;
    }
}
