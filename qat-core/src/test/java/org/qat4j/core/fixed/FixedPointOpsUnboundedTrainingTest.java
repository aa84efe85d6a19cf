package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * {@link FixedPointOps#fakeQuantizeUnbounded} (the on-device training quantizer) against the pure-Java
 * {@link FixedPoint} and against {@link FixedPointOps#quantizeUnbounded}, value for value and bit for bit,
 * on every rounding mode, in float32 and float64, over ties, their neighbours, tiny, subnormal, signed-zero
 * and large inputs; and its gradients against the closed form {@code -ln2 * s * (xq - x)}.
 */
class FixedPointOpsUnboundedTrainingTest {

    private static final int MIN_F = -20;
    private static final int MAX_F = 24;

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Inputs for one f: random magnitudes over 2^-30 .. 2^30 steps, ties and neighbours, special values. */
    private static float[] sample(Random random, int f) {
        float step = (float) Math.scalb(1.0, -f);
        float[] x = new float[600];
        int n = 0;
        float[] special = {
            0f,
            -0f,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MIN_NORMAL,
            -Float.MIN_NORMAL,
            step * 0.5f,
            -step * 0.5f,
            Math.nextDown(step * 0.5f),
            Math.nextUp(-step * 0.5f),
            Math.nextUp(step * 0.5f),
            Math.nextDown(-step * 0.5f),
            step,
            -step,
            0x1p23f * step + step,
            -(0x1p23f * step + step),
            0x1p23f * step + 3 * step,
            0x1p30f,
            -0x1p30f
        };
        for (float s : special) {
            x[n++] = s;
        }
        while (n < x.length) {
            switch (n % 4) {
                case 0:
                    x[n++] = (float) (Math.scalb(random.nextDouble(), random.nextInt(61) - 30)
                            * step
                            * (random.nextBoolean() ? 1 : -1));
                    break;
                case 1: {
                    float tie = (float) ((random.nextInt(2001) - 1000 + 0.5) * step);
                    x[n++] = tie;
                    break;
                }
                case 2: {
                    float tie = (float) ((random.nextInt(2001) - 1000 + 0.5) * step);
                    x[n++] = random.nextBoolean() ? Math.nextUp(tie) : Math.nextDown(tie);
                    break;
                }
                default:
                    x[n++] = (float) ((random.nextInt(2001) - 1000) * step);
            }
        }
        return x;
    }

    private static long reference(double x, int f, RoundingMode r) {
        int i = Math.min(64, 62 - f);
        return FixedPoint.quantize(x, new FixedFormat(1, i, f), r, OverflowMode.SAT);
    }

    @Test
    void valuesAndMantissasEqualTheIntegerReferenceBitForBit() {
        Random random = new Random(41);
        int checked = 0;
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (int f = MIN_F; f <= MAX_F; f++) {
                float[] x = sample(random, f);
                for (RoundingMode r : RoundingMode.values()) {
                    // the public call (short path for this size) and the storage-reusing path
                    for (boolean reuse : new boolean[] {false, true}) {
                        try (NDManager scope = manager.newSubManager()) {
                            NDArray xs = scope.create(x).toType(type, false);
                            NDArray fs = scope.full(new Shape(1), f, type);
                            TrainingQuantization t = reuse
                                    ? UnboundedTrainingKernel.fakeQuantize(xs, fs, r, 1.0, true, true)
                                    : FixedPointOps.fakeQuantizeUnbounded(xs, fs, r, 1.0, true);
                            double[] got =
                                    t.value().toType(DataType.FLOAT64, false).toDoubleArray();
                            double[] mant =
                                    t.mantissa().toType(DataType.FLOAT64, false).toDoubleArray();
                            double[] exact = FixedPointOps.quantizeUnbounded(xs, fs, r)
                                    .toType(DataType.FLOAT64, false)
                                    .toDoubleArray();
                            for (int e = 0; e < x.length; e++) {
                                long m = reference(x[e], f, r);
                                double want = type == DataType.FLOAT32
                                        ? (double) (float) FixedPoint.toDouble(m, new FixedFormat(1, 0, f)) + 0.0
                                        : FixedPoint.toDouble(m, new FixedFormat(1, 0, f)) + 0.0;
                                String where =
                                        type + " " + r + (reuse ? " reusing storage" : "") + " f=" + f + " x=" + x[e];
                                assertEquals(
                                        Double.doubleToRawLongBits(want),
                                        Double.doubleToRawLongBits(got[e]),
                                        "value " + where);
                                assertEquals(
                                        Double.doubleToRawLongBits(want),
                                        Double.doubleToRawLongBits(exact[e]),
                                        "quantizeUnbounded " + where);
                                assertEquals((double) m, mant[e] + 0.0, "mantissa " + where);
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(2 * 2 * (MAX_F - MIN_F + 1) * RoundingMode.values().length * 600, checked);
    }

    @Test
    void perElementGradientsAreMinusLn2TimesTheErrorBitForBit() {
        Random random = new Random(5);
        int n = 4_000;
        float[] x = new float[n];
        float[] f = new float[n];
        for (int e = 0; e < n; e++) {
            x[e] = (float) (random.nextGaussian() * Math.scalb(1.0, random.nextInt(9) - 4));
            // bits off the integers, and some exact halves: the kernel rounds them half to even
            f[e] = random.nextInt(MAX_F - MIN_F)
                    + MIN_F
                    + (e % 10 == 0 ? 0.5f : (float) (random.nextDouble() * 0.98 - 0.49));
        }
        double scale = 0.25;
        float c = (float) (-Math.log(2.0) * scale);
        for (RoundingMode r : new RoundingMode[] {RoundingMode.RND, RoundingMode.TRN, RoundingMode.RND_CONV}) {
            for (boolean reuse : new boolean[] {false, true}) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray xs = scope.create(x);
                    NDArray ft = scope.create(f);
                    xs.setRequiresGradient(true);
                    ft.setRequiresGradient(true);
                    float[] out;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray q = UnboundedTrainingKernel.fakeQuantize(xs, ft, r, scale, false, reuse)
                                .value();
                        out = q.toFloatArray();
                        collector.backward(q.sum());
                    }
                    float[] dx = xs.getGradient().toFloatArray();
                    float[] df = ft.getGradient().toFloatArray();
                    int nonZero = 0;
                    for (int e = 0; e < n; e++) {
                        int fe = (int) Math.rint(f[e]);
                        float want =
                                (float) FixedPoint.toDouble(reference(x[e], fe, r), new FixedFormat(1, 0, fe)) + 0f;
                        String where = r + (reuse ? " reusing storage" : "") + " x=" + x[e] + " f=" + fe;
                        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[e]), "value " + where);
                        assertEquals(Float.floatToRawIntBits(1f), Float.floatToRawIntBits(dx[e]), "dx " + where);
                        float delta = want - x[e];
                        // autograd computes (upstream * (xq - x)) * c; a zero gradient may carry either sign
                        assertEquals(delta * c + 0f, df[e] + 0f, "df " + where);
                        nonZero += delta != 0 ? 1 : 0;
                    }
                    assertTrue(nonZero > n / 2, "most elements carry a quantization error: " + nonZero);
                }
            }
        }
    }

    @Test
    void sharedBitsReceiveTheSumOverTheBatch() {
        Random random = new Random(9);
        int rows = 64;
        int cols = 24;
        float[] x = new float[rows * cols];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) (random.nextGaussian() * 3);
        }
        float[] f = new float[cols];
        for (int j = 0; j < cols; j++) {
            f[j] = random.nextInt(10) - 2 + 0.3f;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray xs = scope.create(x, new Shape(rows, cols));
            NDArray ft = scope.create(f, new Shape(1, cols));
            ft.setRequiresGradient(true);
            float[] out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray q = FixedPointOps.fakeQuantizeUnbounded(xs, ft, RoundingMode.RND, 1.0, false)
                        .value();
                out = q.toFloatArray();
                collector.backward(q.sum());
            }
            float[] df = ft.getGradient().toFloatArray();
            for (int j = 0; j < cols; j++) {
                double want = 0;
                double magnitude = 0;
                for (int b = 0; b < rows; b++) {
                    double term = -Math.log(2.0) * (out[b * cols + j] - x[b * cols + j]);
                    want += term;
                    magnitude += Math.abs(term);
                }
                assertEquals(want, df[j], 1e-5 * magnitude + 1e-7, "column " + j);
            }
        }
    }

    @Test
    void resultsBelongToXsManagerAndTheBitsOwnerReceivesNothing() {
        try (NDManager model = NDManager.newBaseManager()) {
            NDArray ft = model.full(new Shape(1, 16), 5.3f);
            ft.setRequiresGradient(true);
            int before = model.getManagedArrays().size();
            int[] counts = new int[50];
            for (int step = 0; step < counts.length; step++) {
                try (NDManager batch = model.newSubManager()) {
                    NDArray x = batch.randomNormal(new Shape(8, 16));
                    x.setRequiresGradient(true);
                    int batchBefore = batch.getManagedArrays().size();
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        TrainingQuantization t =
                                FixedPointOps.fakeQuantizeUnbounded(x, ft, RoundingMode.RND, 1.0, true);
                        assertSame(batch, t.value().getManager());
                        assertSame(batch, t.mantissa().getManager());
                        collector.backward(t.value().sum());
                    }
                    counts[step] = batch.getManagedArrays().size() - batchBefore;
                }
                assertEquals(before, model.getManagedArrays().size(), "model manager after step " + step);
            }
            for (int step = 1; step < counts.length; step++) {
                assertEquals(counts[0], counts[step], "arrays left in the batch manager at step " + step);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.zeros(new Shape(4, 3));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> FixedPointOps.fakeQuantizeUnbounded(
                            x, scope.zeros(new Shape(1, 4)), RoundingMode.RND, 1, false));
            assertTrue(e.getMessage().contains("f of shape (1, 4)"), e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> FixedPointOps.fakeQuantizeUnbounded(
                            x, scope.zeros(new Shape(1, 3)), RoundingMode.RND, Double.NaN, false));
            assertTrue(e.getMessage().contains("gradientScale must be finite, got NaN"), e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> FixedPointOps.quantizeUnbounded(x, scope.full(new Shape(1), 65f), RoundingMode.RND));
            assertTrue(e.getMessage().contains("f must round"), e.getMessage());
        }
    }
}
