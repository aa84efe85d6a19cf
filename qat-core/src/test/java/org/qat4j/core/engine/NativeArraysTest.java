package org.qat4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Documents why {@link NativeArrays} exists and checks that it is a drop-in replacement.
 *
 * <p>The finding (DJL 0.36.0, PyTorch engine, CPU): an array created from a direct buffer aliases that
 * buffer ({@code torch::from_blob}, no copy), and autograd reads a saved operand at backward time. The
 * first two tests show this deterministically by writing to the buffer instead of waiting for the GC to
 * free it; in training the same read hits freed memory once the Java array is closed and its buffer
 * collected, which made gradients sporadically NaN.
 */
class NativeArraysTest {

    private static ByteBuffer floats(NDManager m, float... v) {
        ByteBuffer b = m.allocateDirect(4 * v.length);
        for (float f : v) {
            b.putFloat(f);
        }
        b.rewind();
        return b;
    }

    @Test
    void djlArraysAliasTheirJavaBufferButOwnedCopiesDoNot() {
        try (NDManager m = NDManager.newBaseManager()) {
            ByteBuffer buf = floats(m, 1f, 2f, 3f);
            NDArray aliased = m.create(buf, new Shape(3), DataType.FLOAT32);
            NDArray owned = NativeArrays.owned(m.create(floats(m, 1f, 2f, 3f), new Shape(3), DataType.FLOAT32));
            ByteBuffer ownedSource = floats(m, 1f, 2f, 3f);
            NDArray owned2 = NativeArrays.owned(m.create(ownedSource, new Shape(3), DataType.FLOAT32));
            buf.putFloat(4, 99f);
            ownedSource.putFloat(4, 99f);
            // DJL does not copy: the engine sees the write to the Java buffer
            assertArrayEquals(new float[] {1f, 99f, 3f}, aliased.toFloatArray());
            // the copy has its own storage
            assertArrayEquals(new float[] {1f, 2f, 3f}, owned.toFloatArray());
            assertArrayEquals(new float[] {1f, 2f, 3f}, owned2.toFloatArray());
        }
    }

    @Test
    void autogradReadsASavedJavaBackedOperandAtBackwardTimeButNotAnOwnedOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(5f, gradientOfXTimesC(m, false), "DJL operand: backward sees the later write");
            assertEquals(3f, gradientOfXTimesC(m, true), "owned operand: backward sees the value used forward");
        }
    }

    /** d(x·c)/dx with c = 3 from a Java buffer that is overwritten with 5 between forward and backward. */
    private static float gradientOfXTimesC(NDManager m, boolean owned) {
        NDArray x = m.create(new float[] {2f}).duplicate();
        x.setRequiresGradient(true);
        ByteBuffer buf = floats(m, 3f);
        NDArray c = m.create(buf, new Shape(1), DataType.FLOAT32);
        if (owned) {
            c = NativeArrays.owned(c);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = x.mul(c);
            buf.putFloat(0, 5f); // stands in for the freed buffer being reused
            gc.backward(y.sum());
        }
        return x.getGradient().getFloat();
    }

    /**
     * The training-time failure itself: the operand of {@code x·3} is closed right after the forward op, the
     * GC runs and the native heap is reused before backward. With DJL's {@code x.mul(3f)} this gave a wrong
     * gradient in 196 of 200 trials on the development machine; the owned scalar must give 3 every time.
     */
    @Test
    void ownedScalarOperandSurvivesGarbageCollectionBeforeBackward() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 16; trial++) {
                NDArray x = m.create(new float[] {2f}).duplicate();
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = NativeArrays.mul(x, 3f);
                    System.gc();
                    Thread.sleep(1);
                    java.util.List<ByteBuffer> reuse = new java.util.ArrayList<>();
                    for (int k = 0; k < 1000; k++) {
                        reuse.add(floats(m, 7f));
                    }
                    gc.backward(y.sum());
                }
                assertEquals(3f, x.getGradient().getFloat(), "trial " + trial);
            }
        }
    }

    @Test
    void scalarOpsEqualDjlNumberOpsBitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            Number[] operands = {0.5f, -0.1f, 3, 1e-10f, 0.1, -2.75, 7L};
            for (DataType t : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray x = m.randomNormal(new Shape(257)).mul(4f).toType(t, false);
                NDArray pos = x.abs().add(0.25f);
                for (Number n : operands) {
                    same(x.mul(n), NativeArrays.mul(x, n), "mul", t, n);
                    same(x.div(n), NativeArrays.div(x, n), "div", t, n);
                    same(pos.pow(n), NativeArrays.pow(pos, n), "pow", t, n);
                    same(x.maximum(n), NativeArrays.maximum(x, n), "maximum", t, n);
                    same(x.minimum(n), NativeArrays.minimum(x, n), "minimum", t, n);
                }
                same(x.clip(-1.5f, 2), NativeArrays.clip(x, -1.5f, 2), "clip", t, -1.5f);
            }
        }
    }

    private static void same(NDArray expected, NDArray actual, String op, DataType t, Number n) {
        String what = op + " " + t + " by " + n + " (" + n.getClass().getSimpleName() + ")";
        assertEquals(expected.getDataType(), actual.getDataType(), what);
        assertEquals(expected.getShape(), actual.getShape(), what);
        double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), what + " at " + i);
        }
    }

    @Test
    void clipHasClampsGradientIncludingAtTheBounds() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = {-3f, -1f, -0.5f, 0f, 0.5f, 1f, 2f, Float.NaN};
            float[] clamp = gradient(m, v, (x, u) -> x.clip(-1f, 1f));
            float[] ours = gradient(m, v, (x, u) -> NativeArrays.clip(x, -1f, 1f));
            assertArrayEquals(new float[] {0f, 1f, 1f, 1f, 1f, 1f, 0f, 0f}, ours);
            for (int i = 0; i < v.length - 1; i++) { // clamp's gradient at NaN is engine-defined
                assertEquals(Float.floatToRawIntBits(clamp[i]), Float.floatToRawIntBits(ours[i]), "x = " + v[i]);
            }
        }
    }

    private static float[] gradient(NDManager m, float[] v, BiFunction<NDArray, Void, NDArray> f) {
        NDArray x = m.create(v).duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(f.apply(x, null).sum());
        }
        return x.getGradient().toFloatArray();
    }

    @Test
    void scalarOpsLeaveOnlyTheirResultInTheManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(4));
            int before = m.getManagedArrays().size();
            NativeArrays.mul(x, 2.0);
            NativeArrays.div(x, 2f);
            NativeArrays.maximum(x, 0);
            assertEquals(before + 3, m.getManagedArrays().size());
        }
    }

    @Test
    void createCopiesJavaArrays() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] f = {1.5f, -2f};
            double[] d = {0.1, -1e300};
            NDArray a = NativeArrays.create(m, f, new Shape(2, 1));
            NDArray b = NativeArrays.create(m, d, new Shape(2));
            f[0] = 7f;
            d[0] = 7;
            assertArrayEquals(new float[] {1.5f, -2f}, a.toFloatArray());
            assertEquals(new Shape(2, 1), a.getShape());
            assertArrayEquals(new double[] {0.1, -1e300}, b.toDoubleArray());
            assertEquals(DataType.FLOAT64, b.getDataType());
        }
    }
}
