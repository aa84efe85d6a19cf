package org.qat4j.hgq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

class HgqQuantKernelTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void pow2IsExactForEveryIntegerBitWidthInFloat32AndFloat64() {
        for (DataType dt : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (NDManager m = manager.newSubManager()) {
                float[] bits = new float[121];
                for (int j = 0; j < bits.length; j++) {
                    bits[j] = j - 60;
                }
                double[] got = HgqQuantKernel.pow2(m.create(bits).toType(dt, false)).toType(DataType.FLOAT64, false)
                        .toDoubleArray();
                double[] half = HgqQuantKernel.halfPow(m.create(bits).toType(dt, false))
                        .toType(DataType.FLOAT64, false).toDoubleArray();
                for (int j = 0; j < bits.length; j++) {
                    assertEquals(Double.doubleToRawLongBits(Math.scalb(1.0, j - 60)),
                            Double.doubleToRawLongBits(got[j]), "2^" + (j - 60) + " in " + dt);
                    assertEquals(Double.doubleToRawLongBits(Math.scalb(1.0, 60 - j)),
                            Double.doubleToRawLongBits(half[j]), "0.5^" + (j - 60) + " in " + dt);
                }
            }
        }
    }

    /** Every mode pair, formats with k∈{0,1}, i∈{−2..4}, f∈{−2..6}, random values plus exact ties and their neighbours. */
    @Test
    void exactQuantizeMatchesTheIntegerReferenceOnEveryModeAndFormat() {
        Random rnd = new Random(7);
        int checks = 0;
        for (DataType dt : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (int k = 0; k <= 1; k++) {
                for (int i = -2; i <= 4; i++) {
                    for (int f = -2; f <= 6; f++) {
                        FixedFormat fmt = new FixedFormat(k, i, f);
                        float[] x = sample(rnd, fmt);
                        for (RoundingMode r : RoundingMode.values()) {
                            for (OverflowMode o : OverflowMode.values()) {
                                checks += compare(dt, x, fmt, r, o);
                            }
                            checks += compareUnbounded(dt, x, f, r);
                        }
                    }
                }
            }
        }
        assertEquals(true, checks > 200_000, "checks run: " + checks);
    }

    private static float[] sample(Random rnd, FixedFormat fmt) {
        int n = 160;
        float[] x = new float[n];
        double step = Math.scalb(1.0, -fmt.f());
        double range = Math.scalb(1.0, fmt.i() + 2);
        for (int j = 0; j < n; j++) {
            switch (j % 5) {
                case 0:
                    x[j] = (float) ((rnd.nextDouble() * 2 - 1) * range);
                    break;
                case 1: {
                    float tie = (float) ((rnd.nextInt(64) - 32 + 0.5) * step);
                    x[j] = tie;
                    break;
                }
                case 2: {
                    float tie = (float) ((rnd.nextInt(64) - 32 + 0.5) * step);
                    x[j] = Math.nextUp(tie);
                    break;
                }
                case 3: {
                    float tie = (float) ((rnd.nextInt(64) - 32 + 0.5) * step);
                    x[j] = Math.nextDown(tie);
                    break;
                }
                default:
                    x[j] = (float) ((rnd.nextInt(64) - 32) * step);
            }
        }
        return x;
    }

    private static int compare(DataType dt, float[] x, FixedFormat fmt, RoundingMode r, OverflowMode o) {
        try (NDManager m = manager.newSubManager()) {
            NDArray xs = m.create(x).toType(dt, false);
            NDArray f = m.full(new Shape(1), fmt.f(), dt);
            NDArray k = m.full(new Shape(1), fmt.k(), dt);
            NDArray i = m.full(new Shape(1), fmt.i(), dt);
            double[] got = HgqQuantKernel.quantize(xs, f, k, i, r, o).toType(DataType.FLOAT64, false).toDoubleArray();
            for (int j = 0; j < x.length; j++) {
                long expected = fmt.isZeroWidth() ? 0 : FixedPoint.quantize(x[j], fmt, r, o);
                long mantissa = mantissaOf(got[j], fmt.f());
                assertEquals(expected, mantissa, () -> "x=" + x[0] + " " + fmt + " " + r + "/" + o + " " + dt);
            }
        }
        return x.length;
    }

    private static int compareUnbounded(DataType dt, float[] x, int f, RoundingMode r) {
        FixedFormat wide = new FixedFormat(1, 40, f);
        try (NDManager m = manager.newSubManager()) {
            NDArray xs = m.create(x).toType(dt, false);
            NDArray fa = m.full(new Shape(1), f, dt);
            double[] got = HgqQuantKernel.quantize(xs, fa, null, null, r, OverflowMode.WRAP)
                    .toType(DataType.FLOAT64, false).toDoubleArray();
            for (int j = 0; j < x.length; j++) {
                final int jj = j;
                assertEquals(FixedPoint.quantize(x[j], wide, r, OverflowMode.SAT), mantissaOf(got[j], f),
                        () -> "x=" + x[jj] + " f=" + f + " " + r + " " + dt);
            }
        }
        return x.length;
    }

    private static long mantissaOf(double value, int f) {
        double scaled = Math.scalb(value, f);
        assertEquals(Math.rint(scaled), scaled, "value " + value + " is off the grid 2^-" + f);
        return (long) scaled;
    }

    @Test
    void fractionalBitGradientIsMinusLn2TimesTheErrorAndInputGradientIsOne() {
        Random rnd = new Random(3);
        float[] x = new float[256];
        float[] f = new float[256];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) rnd.nextGaussian();
            f[j] = rnd.nextInt(9) - 2 + (float) (rnd.nextDouble() * 0.8 - 0.4);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray xs = m.create(x);
            NDArray fs = m.create(f);
            xs.setRequiresGradient(true);
            fs.setRequiresGradient(true);
            NDArray xq;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                xq = HgqQuantKernel.fakeQuantize(xs, fs, RoundingMode.RND);
                gc.backward(xq.sum());
            }
            float[] q = xq.toFloatArray();
            float[] gf = fs.getGradient().toFloatArray();
            float[] gx = xs.getGradient().toFloatArray();
            for (int j = 0; j < x.length; j++) {
                int fr = (int) Math.rint(f[j]);
                long mant = FixedPoint.quantize(x[j], new FixedFormat(1, 40, fr), RoundingMode.RND, OverflowMode.SAT);
                assertEquals((float) Math.scalb((double) mant, -fr), q[j], "forward value at " + j);
                double expected = -Math.log(2) * (q[j] - x[j]);
                assertEquals(expected, gf[j], 1e-6 + 1e-5 * Math.abs(expected), "df at " + j);
                assertEquals(1f, gx[j], "dx at " + j);
            }
        }
    }

    @Test
    void saturatingQuantizerPassesClippedGradientToTheIntegerBits() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {5f, -7f, 0.3f});
            NDArray k = m.create(new float[] {1f, 1f, 1f});
            NDArray i = m.create(new float[] {1f, 1f, 1f});
            NDArray f = m.create(new float[] {2f, 2f, 2f});
            x.setRequiresGradient(true);
            i.setRequiresGradient(true);
            f.setRequiresGradient(true);
            NDArray xq;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                xq = HgqQuantKernel.fakeQuantizeSaturating(x, k, i, f, RoundingMode.RND, OverflowMode.SAT);
                gc.backward(xq.sum());
            }
            // hi = 2 − 0.25 = 1.75, lo = −2; 0.3 → 0.25
            float[] q = xq.toFloatArray();
            assertEquals(1.75f, q[0]);
            assertEquals(-2f, q[1]);
            assertEquals(0.25f, q[2]);
            float[] gi = i.getGradient().toFloatArray();
            float[] gx = x.getGradient().toFloatArray();
            double ln2 = Math.log(2);
            assertEquals(ln2 * 2, gi[0], 1e-6); // ∂hi/∂i = ln2·2^i
            assertEquals(-ln2 * 2, gi[1], 1e-6); // ∂lo/∂i = −ln2·2^i
            assertEquals(0, gi[2], 1e-9);
            assertEquals(0f, gx[0]);
            assertEquals(0f, gx[1]);
            assertEquals(1f, gx[2]);
            float[] gf = f.getGradient().toFloatArray();
            assertEquals(ln2 * 0.25, gf[0], 1e-6); // ∂hi/∂f = ln2·2^-f
            assertEquals(-ln2 * (0.25 - 0.3), gf[2], 1e-6);
        }
    }
}
