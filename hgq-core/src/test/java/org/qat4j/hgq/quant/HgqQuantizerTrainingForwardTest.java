package org.qat4j.hgq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.OverflowMode;

/**
 * The training forward of {@link HgqQuantizer} is the exact quantizer's value bit for bit (so what trains
 * is what exports), with HGQ's gradients: {@code ∂xq/∂x = 1}, {@code ∂xq/∂f = −ln2·(xq − x)} (eq. 6), and
 * in SAT mode with trainable integer bits the clip bound's derivatives.
 */
class HgqQuantizerTrainingForwardTest {

    private static void set(Parameter p, float[] values) {
        NDArray a = p.getArray();
        try (NDArray v = a.getManager().create(values, a.getShape())) {
            a.intern(v.duplicate());
        }
        a.setRequiresGradient(true);
    }

    @Test
    void perWeightTrainingForwardEqualsTheExportedValuesWithTheSurrogateGradient() {
        Random random = new Random(17);
        int rows = 32;
        int cols = 48;
        float[] w = new float[rows * cols];
        float[] f = new float[rows * cols];
        for (int e = 0; e < w.length; e++) {
            w[e] = (float) (random.nextGaussian() * 0.2);
            f[e] = random.nextInt(14) - 3 + (float) (random.nextDouble() * 0.98 - 0.49);
        }
        f[0] = 2.5f; // a half: HGQ rounds bits half to even, as the exported formats (Math.rint)
        HgqQuantizer q = new HgqQuantizer(HgqQuantizerConfig.weights().build());
        try (Model model = Model.newInstance("wq")) {
            model.setBlock(q);
            q.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(rows, cols));
            set(q.getFractionalBitsParameter(), f);
            try (NDManager batch = model.getNDManager().newSubManager()) {
                NDArray x = batch.create(w, new Shape(rows, cols));
                x.setRequiresGradient(true);
                float[] trained;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = q.quantize(null, x, true);
                    trained = out.toFloatArray();
                    gc.backward(out.sum());
                }
                float[] exported = q.quantize(null, x, false).toFloatArray();
                float[] df =
                        q.getFractionalBitsParameter().getArray().getGradient().toFloatArray();
                float[] dx = x.getGradient().toFloatArray();
                QuantizedConstant k = q.toConstant(batch.create(exported, new Shape(rows, cols)));
                float c = (float) -Math.log(2.0);
                int nonZero = 0;
                for (int e = 0; e < w.length; e++) {
                    assertEquals(
                            Float.floatToRawIntBits(exported[e] + 0f),
                            Float.floatToRawIntBits(trained[e]),
                            "value at " + e + " w=" + w[e] + " f=" + f[e]);
                    assertEquals((int) Math.rint(f[e]), k.fractionalBits()[e], "rounded bits at " + e);
                    float delta = trained[e] - w[e];
                    assertEquals(delta * c + 0f, df[e] + 0f, "df at " + e);
                    assertEquals(1f, dx[e], "dx at " + e);
                    nonZero += delta != 0 ? 1 : 0;
                }
                assertEquals(2, k.fractionalBits()[0]);
                assertTrue(nonZero > w.length / 2, "quantization errors: " + nonZero);
            }
        }
    }

    @Test
    void activationTrainingForwardEqualsTheCalibrationForwardBitForBit() {
        Random random = new Random(19);
        int batchSize = 64;
        int n = 40;
        float[] x = new float[batchSize * n];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) (random.nextGaussian() * 3);
        }
        HgqQuantizer q = new HgqQuantizer(HgqQuantizerConfig.activations().build());
        try (Model model = Model.newInstance("aq")) {
            model.setBlock(q);
            q.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batchSize, n));
            float[] f = new float[n];
            for (int j = 0; j < n; j++) {
                f[j] = j % 9 - 2;
            }
            set(q.getFractionalBitsParameter(), f);
            try (NDManager batch = model.getNDManager().newSubManager()) {
                NDArray xs = batch.create(x, new Shape(batchSize, n));
                float[] trained;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = q.quantize(null, xs, true);
                    trained = out.toFloatArray();
                    gc.backward(out.sum());
                }
                q.setCalibrating(true);
                float[] calibrated = q.quantize(null, xs, false).toFloatArray();
                q.setCalibrating(false);
                for (int e = 0; e < x.length; e++) {
                    assertEquals(
                            Float.floatToRawIntBits(calibrated[e]),
                            Float.floatToRawIntBits(trained[e]),
                            "x=" + x[e] + " f=" + f[e % n]);
                }
            }
        }
    }

    @Test
    void saturatingQuantizerPassesClippedGradientToTheIntegerBits() {
        HgqQuantizer q = new HgqQuantizer(HgqQuantizerConfig.activations()
                .optIntegerBits(IntegerBitsMode.TRAINABLE)
                .optOverflow(OverflowMode.SAT)
                .optScaleSharedGradient(false)
                .build());
        try (Model model = Model.newInstance("sat")) {
            model.setBlock(q);
            q.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
            set(q.getFractionalBitsParameter(), new float[] {2f, 2f, 2f});
            set(q.getIntegerBitsParameter(), new float[] {1f, 1f, 1f});
            try (NDManager batch = model.getNDManager().newSubManager()) {
                NDArray x = batch.create(new float[] {5f, -7f, 0.3f}, new Shape(1, 3));
                x.setRequiresGradient(true);
                float[] out;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray xq = q.quantize(null, x, true);
                    out = xq.toFloatArray();
                    gc.backward(xq.sum());
                }
                // hi = 2 − 0.25 = 1.75, lo = −2; 0.3 → 0.25
                assertEquals(1.75f, out[0]);
                assertEquals(-2f, out[1]);
                assertEquals(0.25f, out[2]);
                float[] gi =
                        q.getIntegerBitsParameter().getArray().getGradient().toFloatArray();
                float[] gf =
                        q.getFractionalBitsParameter().getArray().getGradient().toFloatArray();
                float[] gx = x.getGradient().toFloatArray();
                double ln2 = Math.log(2);
                assertEquals(ln2 * 2, gi[0], 1e-6); // ∂hi/∂i = ln2·2^i
                assertEquals(-ln2 * 2, gi[1], 1e-6); // ∂lo/∂i = −ln2·2^i
                assertEquals(0, gi[2], 1e-9);
                assertEquals(0f, gx[0]);
                assertEquals(0f, gx[1]);
                assertEquals(1f, gx[2]);
                assertEquals(ln2 * 0.25, gf[0], 1e-6); // ∂hi/∂f = ln2·2^-f
                assertEquals(-ln2 * (0.25 - 0.3), gf[2], 1e-6);
            }
        }
    }
}
