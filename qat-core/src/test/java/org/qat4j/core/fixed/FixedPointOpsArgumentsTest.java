package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/** Broadcast bit arrays, rounding of the bit values, and clear errors for bad arguments. */
class FixedPointOpsArgumentsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void broadcastBitArraysMatchThePureJavaPathPerElement() {
        Random random = new Random(3);
        Shape xShape = new Shape(6, 5, 4);
        float[] x = new float[(int) xShape.size()];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) (random.nextGaussian() * 8);
        }
        // per last axis, per middle axis, per tensor (rank 3 of ones) and a 0-dimensional scalar
        Shape[] bitShapes = {new Shape(4), new Shape(5, 1), new Shape(1, 1, 1), new Shape()};
        int checked = 0;
        for (Shape bitShape : bitShapes) {
            int n = (int) bitShape.size();
            float[] k = new float[n];
            float[] i = new float[n];
            float[] f = new float[n];
            for (int b = 0; b < n; b++) {
                k[b] = random.nextInt(2);
                i[b] = random.nextInt(5);
                f[b] = random.nextInt(7) - 2;
            }
            for (OverflowMode o : OverflowMode.values()) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray xa = scope.create(x, xShape);
                    NDArray ka = scope.create(k, bitShape);
                    NDArray ia = scope.create(i, bitShape);
                    NDArray fa = scope.create(f, bitShape);
                    float[] exact = FixedPointOps.quantize(xa, ka, ia, fa, RoundingMode.RND, o)
                            .toFloatArray();
                    float[] fake = FixedPointOps.fakeQuantize(
                                    xa,
                                    ka,
                                    ia,
                                    fa,
                                    FakeQuantizeOptions.builder()
                                            .optOverflow(OverflowMode.SAT)
                                            .build())
                            .toFloatArray();
                    for (int e = 0; e < x.length; e++) {
                        int b = bitIndex(e, xShape, bitShape);
                        FixedFormat fmt = new FixedFormat((int) k[b], (int) i[b], (int) f[b]);
                        float want =
                                (float) FixedPoint.toDouble(FixedPoint.quantize(x[e], fmt, RoundingMode.RND, o), fmt);
                        assertEquals(
                                Float.floatToRawIntBits(want),
                                Float.floatToRawIntBits(exact[e]),
                                "bits " + bitShape + " " + o + " x=" + x[e] + " " + fmt);
                        if (o == OverflowMode.SAT) {
                            assertEquals(
                                    Float.floatToRawIntBits(want),
                                    Float.floatToRawIntBits(fake[e]),
                                    "fakeQuantize, bits " + bitShape + " x=" + x[e] + " " + fmt);
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(4 * 3 * 120, checked);
    }

    @Test
    void bitValuesRoundHalfUpExactlyInFloat32AndFloat64() {
        // f = 2.5 -> 3, -2.5 -> -2 (half up); the float just below 2.5 -> 2; in float64 the double just below
        // 1/2 -> 0, where floor(b + 1/2) would give 1
        double[][] cases = {
            {2.5, 3}, {-2.5, -2}, {Math.nextDown(2.5f), 2}, {Math.nextDown(-2.5f), -3}, {0.49999997f, 0},
        };
        double[][] cases64 = {{Math.nextDown(0.5), 0}, {Math.nextDown(2.5), 2}, {-0.5, 0}, {Math.nextDown(-0.5), -1}};
        for (double[] c : cases) {
            assertEquals(c[1], roundedF(c[0], DataType.FLOAT32), "float32 f=" + c[0]);
            assertEquals(c[1], roundedF(c[0], DataType.FLOAT64), "float64 f=" + c[0]);
        }
        for (double[] c : cases64) {
            assertEquals(c[1], roundedF(c[0], DataType.FLOAT64), "float64 f=" + c[0]);
        }
    }

    /**
     * Returns the f that quantize used: with x = 32 - 2^-12 under TRN, the output is 32 - 2^-f for every
     * f in [-4, 12].
     */
    private static double roundedF(double f, DataType bitType) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new double[] {32 - 0x1p-12});
            NDArray fa = scope.create(new double[] {f}).toType(bitType, false);
            NDArray k = scope.create(new double[] {1});
            NDArray i = scope.create(new double[] {6});
            double q = FixedPointOps.quantize(x, k, i, fa, RoundingMode.TRN, OverflowMode.SAT)
                    .toDoubleArray()[0];
            return -Math.getExponent(32 - q);
        }
    }

    @Test
    void badBitsNameTheParameterValueAndIndex() {
        assertMessage(() -> quantizeWith(2f, 3f, 4f), "k", "2.0");
        assertMessage(() -> quantizeWith(1f, 3f, 70f), "f", "70.0");
        assertMessage(() -> quantizeWith(1f, -65f, 4f), "i", "-65.0");
        assertMessage(() -> quantizeWith(1f, 3f, Float.NaN), "f", "NaN");
        assertMessage(() -> quantizeWith(1f, 40f, 19f), "width", "60");
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray k = scope.create(new float[] {1, 1, 0}, new Shape(3));
            NDArray i = scope.create(new float[] {3, 3, 4}, new Shape(3));
            NDArray f = scope.create(new float[] {4, 2, 4}, new Shape(3));
            NDArray x = scope.create(new float[] {1, Float.NaN, 3}, new Shape(3));
            assertMessage(
                    () -> FixedPointOps.quantize(x, k, i, f, RoundingMode.RND, OverflowMode.SAT),
                    "x must be a number",
                    "NaN",
                    "flat index 1");
            NDArray inf = scope.create(new float[] {1, 2, Float.POSITIVE_INFINITY}, new Shape(3));
            assertMessage(
                    () -> FixedPointOps.quantize(inf, k, i, f, RoundingMode.RND, OverflowMode.WRAP),
                    "finite under WRAP",
                    "Infinity");
            NDArray wide = scope.create(new float[8], new Shape(2, 4));
            assertMessage(
                    () -> FixedPointOps.quantize(wide, k, i, f, RoundingMode.RND, OverflowMode.SAT),
                    "k of shape (3)",
                    "(2, 4)");
            NDArray ints = scope.create(new int[] {1, 2, 3});
            assertMessage(
                    () -> FixedPointOps.quantize(ints, k, i, f, RoundingMode.RND, OverflowMode.SAT),
                    "float32 or float64",
                    "int32");
            assertMessage(() -> FixedPointOps.quantize(inf, k, i, f, null, OverflowMode.SAT), "rounding");
            assertMessage(() -> FakeQuantizeOptions.builder().optOverflow(null).build(), "overflow");
        }
    }

    @Test
    void fakeQuantizePropagatesNanInsteadOfThrowing() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {1.3f, Float.NaN});
            NDArray k = scope.create(new float[] {1, 1});
            NDArray i = scope.create(new float[] {3, 3});
            NDArray f = scope.create(new float[] {2, 2});
            for (OverflowMode o : OverflowMode.values()) {
                float[] q = FixedPointOps.fakeQuantize(
                                x,
                                k,
                                i,
                                f,
                                FakeQuantizeOptions.builder().optOverflow(o).build())
                        .toFloatArray();
                assertEquals(1.25f, q[0], o.toString());
                assertTrue(Float.isNaN(q[1]), o + " gave " + q[1]);
            }
        }
    }

    private static NDArray quantizeWith(float k, float i, float f) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {0.3f, 0.7f});
            NDArray ka = scope.create(new float[] {1, k});
            NDArray ia = scope.create(new float[] {2, i});
            NDArray fa = scope.create(new float[] {2, f});
            return FixedPointOps.quantize(x, ka, ia, fa, RoundingMode.RND, OverflowMode.SAT);
        }
    }

    private static void assertMessage(Runnable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    private static int bitIndex(int flat, Shape x, Shape bits) {
        int index = 0;
        int stride = 1;
        int rest = flat;
        for (int d = x.dimension() - 1; d >= 0; d--) {
            int coordinate = (int) (rest % x.get(d));
            rest /= (int) x.get(d);
            int bd = d - (x.dimension() - bits.dimension());
            if (bd >= 0) {
                long size = bits.get(bd);
                index += (size == 1 ? 0 : coordinate) * stride;
                stride *= (int) size;
            }
        }
        return index;
    }
}
