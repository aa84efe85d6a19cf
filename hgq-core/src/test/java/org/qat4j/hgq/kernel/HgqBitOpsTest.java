package org.qat4j.hgq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HgqBitOpsTest {

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
                double[] got = HgqBitOps.pow2(m.create(bits).toType(dt, false))
                        .toType(DataType.FLOAT64, false)
                        .toDoubleArray();
                for (int j = 0; j < bits.length; j++) {
                    assertEquals(
                            Double.doubleToRawLongBits(Math.scalb(1.0, j - 60)),
                            Double.doubleToRawLongBits(got[j]),
                            "2^" + (j - 60) + " in " + dt);
                }
            }
        }
    }

    /** Every mantissa up to 2^16 in magnitude, and 0: floor(log2|m|) + 1 significant bits. */
    @Test
    void bitLengthsAreExactForEveryMantissaUpTo2To16() {
        int n = 1 << 17;
        float[] m = new float[n + 1];
        for (int j = 0; j <= n; j++) {
            m[j] = j - (n / 2);
        }
        try (NDManager s = manager.newSubManager()) {
            float[] got = HgqBitOps.bitLengthsConsuming(s.create(m)).toFloatArray();
            for (int j = 0; j <= n; j++) {
                long a = Math.abs((long) m[j]);
                int want = a == 0 ? 0 : 64 - Long.numberOfLeadingZeros(a);
                assertEquals(want, got[j], "m=" + m[j]);
            }
        }
    }

    @Test
    void roundStraightThroughRoundsHalfToEvenWithIdentityGradient() {
        float[] b = {2.5f, 3.5f, -0.5f, 0.49999997f, 7.3f, -2.7f};
        float[] want = {2f, 4f, -0f, 0f, 7f, -3f};
        try (NDManager s = manager.newSubManager()) {
            NDArray bits = s.create(b);
            bits.setRequiresGradient(true);
            float[] got;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray r = HgqBitOps.roundStraightThrough(bits);
                got = r.toFloatArray();
                gc.backward(r.sum());
            }
            float[] grad = bits.getGradient().toFloatArray();
            for (int j = 0; j < b.length; j++) {
                assertEquals(want[j] + 0f, got[j] + 0f, "round(" + b[j] + ")");
                assertEquals(1f, grad[j]);
            }
        }
    }
}
