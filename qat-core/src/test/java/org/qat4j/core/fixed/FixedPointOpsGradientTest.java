package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Gradients of {@link FixedPointOps#fakeQuantize} from autograd (a {@link GradientCollector} on the sum of
 * the outputs, so the upstream gradient is 1) against the closed forms of {@link ClosedFormGradients},
 * bit for bit, with per-element bits; the forward against {@link FixedPointOps#quantize}.
 */
class FixedPointOpsGradientTest {

    private static final int N = 3_000;
    private static final RoundingMode[] ROUNDINGS = {RoundingMode.RND, RoundingMode.TRN, RoundingMode.RND_CONV};

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
    void gradientsEqualTheClosedFormsBitForBit() {
        Random random = new Random(7);
        int checked = 0;
        int clippedHigh = 0;
        int clippedLow = 0;
        int zeroWidth = 0;
        for (OverflowMode o : OverflowMode.values()) {
            for (boolean trainableI : new boolean[] {true, false}) {
                for (RoundingMode r : ROUNDINGS) {
                    Batch b = Batch.random(random, N);
                    FakeQuantizeOptions options = FakeQuantizeOptions.builder()
                            .optRounding(r)
                            .optOverflow(o)
                            .optTrainableIntegerBits(trainableI)
                            .build();
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray x = scope.create(b.x);
                        NDArray k = scope.create(b.k);
                        NDArray i = scope.create(b.i);
                        NDArray f = scope.create(b.f);
                        x.setRequiresGradient(true);
                        i.setRequiresGradient(true);
                        f.setRequiresGradient(true);
                        float[] out;
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray q = FixedPointOps.fakeQuantize(x, k, i, f, options);
                            out = q.toFloatArray();
                            collector.backward(q.sum());
                        }
                        float[] exact = FixedPointOps.quantize(x, k, i, f, r, o).toFloatArray();
                        float[] dx = x.getGradient().toFloatArray();
                        float[] di = i.getGradient().toFloatArray();
                        float[] df = f.getGradient().toFloatArray();
                        for (int e = 0; e < N; e++) {
                            int ke = (int) Math.floor(b.k[e] + 0.5);
                            int ie = (int) Math.floor(b.i[e] + 0.5);
                            int fe = (int) Math.floor(b.f[e] + 0.5);
                            String where = o + " " + r + " trainableI=" + trainableI + " x=" + b.x[e] + " (k,i,f)=("
                                    + ke + "," + ie + "," + fe + ")";
                            float want = o == OverflowMode.WRAP ? unwrapped(b.x[e], ke, ie, fe, r) : exact[e];
                            assertBits(want, out[e], "forward " + where);
                            ClosedFormGradients g = new ClosedFormGradients(b.x[e], out[e], ke, ie, fe, o, trainableI);
                            assertBits(g.dx, dx[e], "dx " + where);
                            assertBits(g.df, df[e], "df " + where);
                            assertBits(g.di, di[e], "di " + where);
                            checked++;
                            clippedHigh += g.clippedHigh ? 1 : 0;
                            clippedLow += g.clippedLow ? 1 : 0;
                            zeroWidth += ke + ie + fe <= 0 ? 1 : 0;
                        }
                    }
                }
            }
        }
        assertEquals(3 * 2 * ROUNDINGS.length * N, checked);
        // the batches exercise every branch of the closed forms
        assertTrue(
                clippedHigh > 1_000 && clippedLow > 1_000 && zeroWidth > 1_000,
                "high " + clippedHigh + " low " + clippedLow + " zero-width " + zeroWidth);
    }

    @Test
    void float64GradientsEqualTheClosedFormsBitForBit() {
        Random random = new Random(23);
        int checked = 0;
        for (OverflowMode o : OverflowMode.values()) {
            Batch b = Batch.random(random, N);
            FakeQuantizeOptions options =
                    FakeQuantizeOptions.builder().optOverflow(o).build();
            try (NDManager scope = manager.newSubManager()) {
                double[] xs = new double[N];
                for (int e = 0; e < N; e++) {
                    xs[e] = b.x[e] * (1.0 + 0x1p-40); // bits below float32 precision
                }
                NDArray x = scope.create(xs);
                NDArray k = scope.create(b.k).toType(DataType.FLOAT64, false);
                NDArray i = scope.create(b.i).toType(DataType.FLOAT64, false);
                NDArray f = scope.create(b.f).toType(DataType.FLOAT64, false);
                x.setRequiresGradient(true);
                i.setRequiresGradient(true);
                f.setRequiresGradient(true);
                double[] out;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray q = FixedPointOps.fakeQuantize(x, k, i, f, options);
                    out = q.toDoubleArray();
                    collector.backward(q.sum());
                }
                double[] exact =
                        FixedPointOps.quantize(x, k, i, f, RoundingMode.RND, o).toDoubleArray();
                double[] dx = x.getGradient().toDoubleArray();
                // under WRAP, i takes no part in the graph: DJL reports float32 zeros for its gradient
                double[] di = i.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                double[] df = f.getGradient().toDoubleArray();
                for (int e = 0; e < N; e++) {
                    int ke = (int) Math.floor(b.k[e] + 0.5);
                    int ie = (int) Math.floor(b.i[e] + 0.5);
                    int fe = (int) Math.floor(b.f[e] + 0.5);
                    String where = o + " x=" + xs[e] + " (k,i,f)=(" + ke + "," + ie + "," + fe + ")";
                    if (o != OverflowMode.WRAP) {
                        assertBits64(exact[e], out[e], "forward " + where);
                    }
                    ClosedFormGradients g = new ClosedFormGradients(xs[e], out[e], ke, ie, fe, o, true);
                    assertBits64(g.dx64, dx[e], "dx " + where);
                    assertBits64(g.df64, df[e], "df " + where);
                    assertBits64(g.di64, di[e], "di " + where);
                    checked++;
                }
            }
        }
        assertEquals(3 * N, checked);
    }

    @Test
    void fGradientIsMinusLn2TimesTheQuantizationErrorInsideTheRange() {
        // the defining property of HGQ's surrogate, on elements no bound clips
        Random random = new Random(11);
        Batch b = Batch.random(random, N);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(b.x);
            NDArray f = scope.create(b.f);
            f.setRequiresGradient(true);
            NDArray k = scope.ones(new Shape(N));
            NDArray i = scope.full(new Shape(N), 20f); // wide: nothing clips
            float[] out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray q = FixedPointOps.fakeQuantize(x, k, i, f, FakeQuantizeOptions.defaults());
                out = q.toFloatArray();
                collector.backward(q.sum());
            }
            float[] df = f.getGradient().toFloatArray();
            int nonZero = 0;
            for (int e = 0; e < N; e++) {
                float delta = out[e] - b.x[e];
                // a zero gradient is +0.0
                float want = (float) (-ClosedFormGradients.LN2 * ((double) out[e] - (double) b.x[e]) + 0.0);
                assertBits(want, df[e], "x=" + b.x[e]);
                // the float32 closed form -ln2 * (xq - x), within the rounding of xq - x
                assertTrue(
                        Math.abs(df[e] + (float) ClosedFormGradients.LN2 * delta) <= Math.ulp(df[e]) * 2,
                        "x=" + b.x[e] + " df=" + df[e] + " delta=" + delta);
                nonZero += delta != 0 ? 1 : 0;
            }
            assertTrue(nonZero > N / 2, "most elements carry a quantization error: " + nonZero);
        }
    }

    @Test
    void sharedBitsReceiveTheSumOfTheirElementsGradients() {
        // bits shared over the batch axis (per-activation granularity, HGQ Section 3.2): autograd sums the
        // per-element closed forms; float32 reduction order is PyTorch's, so the check allows the rounding
        // of a float32 sum of 64 terms (64 ulps of the largest partial sum)
        Random random = new Random(13);
        int rows = 64;
        int cols = 40;
        float[] x = new float[rows * cols];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) (random.nextGaussian() * 6);
        }
        float[] k = new float[cols];
        float[] i = new float[cols];
        float[] f = new float[cols];
        for (int c = 0; c < cols; c++) {
            k[c] = random.nextInt(2);
            i[c] = random.nextInt(6) - 1;
            f[c] = random.nextInt(8) - 2;
        }
        for (OverflowMode o : OverflowMode.values()) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray xa = scope.create(x, new Shape(rows, cols));
                NDArray ka = scope.create(k, new Shape(1, cols));
                NDArray ia = scope.create(i, new Shape(1, cols));
                NDArray fa = scope.create(f, new Shape(1, cols));
                ia.setRequiresGradient(true);
                fa.setRequiresGradient(true);
                FakeQuantizeOptions options =
                        FakeQuantizeOptions.builder().optOverflow(o).build();
                float[] out;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray q = FixedPointOps.fakeQuantize(xa, ka, ia, fa, options);
                    out = q.toFloatArray();
                    collector.backward(q.sum());
                }
                float[] di = ia.getGradient().toFloatArray();
                float[] df = fa.getGradient().toFloatArray();
                for (int c = 0; c < cols; c++) {
                    double sumI = 0;
                    double sumF = 0;
                    double scale = 0;
                    for (int row = 0; row < rows; row++) {
                        int e = row * cols + c;
                        ClosedFormGradients g =
                                new ClosedFormGradients(x[e], out[e], (int) k[c], (int) i[c], (int) f[c], o, true);
                        sumI += g.di;
                        sumF += g.df;
                        scale += Math.abs(g.di) + Math.abs(g.df);
                    }
                    double tolerance = 64 * Math.ulp((float) scale);
                    assertEquals(sumI, di[c], tolerance, o + " di column " + c);
                    assertEquals(sumF, df[c], tolerance, o + " df column " + c);
                }
            }
        }
    }

    @Test
    void hgq2ResidualTrickThroughAutogradGivesTheSameFGradient() {
        // HGQ2 writes xq = (stopgrad(R(y) - y) + y) / 2^f with y = x * 2^f; autograd through pow then gives
        // -ln2 * (xq - x) up to float32 rounding of the pow/div backward. Our graph uses the closed form
        // directly; both must agree to a few ulps (elements with a zero error give exactly zero in both).
        Random random = new Random(17);
        Batch b = Batch.random(random, N);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(b.x);
            NDArray k = scope.ones(new Shape(N));
            NDArray i = scope.full(new Shape(N), 20f);
            NDArray fRounded = scope.create(b.f).add(0.5f).floor(); // integer-valued f, no bit rounding
            NDArray fOurs = fRounded.duplicate();
            NDArray fHgq2 = fRounded.duplicate();
            fOurs.setRequiresGradient(true);
            fHgq2.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ours = FixedPointOps.fakeQuantize(x, k, i, fOurs, FakeQuantizeOptions.defaults());
                NDArray exact = FixedPointOps.quantize(x, k, i, fRounded, RoundingMode.RND, OverflowMode.SAT);
                NDArray scale = scope.full(new Shape(N), 2f).pow(fHgq2);
                NDArray y = x.mul(scale);
                NDArray rounded = exact.mul(scale.stopGradient()); // R(y), exact: a power-of-two scaling
                NDArray hgq2 = rounded.sub(y).stopGradient().add(y).div(scale);
                collector.backward(ours.sum().add(hgq2.sum()));
            }
            float[] dOurs = fOurs.getGradient().toFloatArray();
            float[] dHgq2 = fHgq2.getGradient().toFloatArray();
            for (int e = 0; e < N; e++) {
                float tolerance = 4 * Math.ulp(Math.abs(dOurs[e]));
                assertEquals(dOurs[e], dHgq2[e], tolerance, "x=" + b.x[e] + " f=" + b.f[e]);
            }
        }
    }

    private static float unwrapped(float x, int k, int i, int f, RoundingMode r) {
        if (k + i + f <= 0) {
            return 0f;
        }
        FixedFormat wide = new FixedFormat(1, 52 - f, f); // same grid, no overflow for these inputs
        return (float) FixedPoint.toDouble(FixedPoint.quantize(x, wide, r, OverflowMode.SAT), wide);
    }

    private static void assertBits64(double want, double got, String what) {
        if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got)) {
            throw new AssertionError(what + ": want " + want + " got " + got);
        }
    }

    private static void assertBits(float want, float got, String what) {
        if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got)) {
            throw new AssertionError(what + ": want " + want + " got " + got);
        }
    }

    /** Random inputs with per-element bits (fractional parts included), about a third of them clipped. */
    private static final class Batch {
        final float[] x;
        final float[] k;
        final float[] i;
        final float[] f;

        private Batch(int n) {
            x = new float[n];
            k = new float[n];
            i = new float[n];
            f = new float[n];
        }

        static Batch random(Random random, int n) {
            Batch b = new Batch(n);
            float[] offsets = {0f, -0.5f, 0.25f, 0.4f, -0.3f};
            for (int e = 0; e < n; e++) {
                int k = random.nextInt(2);
                int f = random.nextInt(17) - 6;
                int i = random.nextInt(13) - 4;
                if (random.nextInt(10) == 0) {
                    i = -f - k - random.nextInt(3); // zero width
                }
                b.k[e] = k;
                b.i[e] = i + offsets[random.nextInt(offsets.length)];
                b.f[e] = f + offsets[random.nextInt(offsets.length)];
                double range = Math.scalb(1.0, Math.max(i, -f));
                b.x[e] = (float) ((random.nextDouble() * 3 - 1.5) * range * (random.nextBoolean() ? 1 : 0.6));
            }
            return b;
        }
    }
}
