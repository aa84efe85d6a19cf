package org.qat4j.a2q.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.quant.A2qWeightQuantizer;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * The backward pass of the A2Q kernels must not read scalar operands whose Java memory was freed after the forward
 * pass: between forward and backward the test collects garbage and refills freed blocks with NaN, then compares the
 * gradients with their closed forms, bit for bit where the formula is one float32 operation.
 */
class GraphScalarsTest {

    private static final int ROUNDS = 20;

    @Test
    void scalarIsAZeroDimensionalFloat32Tensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray c = NativeArrays.full(m, 1e-10f);
            assertEquals(new Shape(), c.getShape());
            assertEquals(Float.floatToRawIntBits(1e-10f), Float.floatToRawIntBits(c.getFloat()));
        }
    }

    /** ∂(max(2^p, 1e-10))/∂p = 2^p·ln 2 needs the base 2 in the backward pass. */
    @Test
    void pow2GradientSurvivesGarbageCollection() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int round = 0; round < ROUNDS; round++) {
                NDArray p = m.create(new float[] {-3f, 0.5f, 2f}); // fresh leaf: gradients do not accumulate
                p.setRequiresGradient(true);
                NDArray loss;
                List<ByteBuffer> poison;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    try (NDManager scope = m.newSubManager()) {
                        scope.tempAttachAll(p);
                        loss = WeightNormQuantization.pow2Clamped(p).sum();
                        loss.attach(m);
                    }
                    poison = FreedMemoryPoison.collectAndPoison();
                    gc.backward(loss);
                }
                float[] g = p.getGradient().toFloatArray();
                float[] v = p.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    double expected = Math.pow(2, v[i]) * Math.log(2);
                    assertEquals(
                            expected,
                            g[i],
                            1e-6 * expected,
                            "round " + round + ", element " + i + " (poison " + poison.size() + ")");
                }
                loss.close();
            }
        }
    }

    /** The A2Q norm penalty λ·Σ relu(g − T·s): ∂/∂log2 g = λ·g·ln 2 where g > T·s. */
    @Test
    void normPenaltyGradientSurvivesGarbageCollection() {
        try (NDManager m = NDManager.newBaseManager()) {
            A2qWeightQuantizer q = new A2qWeightQuantizer(Variant.A2Q_PLUS, 4, 12);
            q.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(3, 8));
            float t = q.bound(4, false);
            // log2 g far above log2(T·s) so relu is active in every channel
            NDArray lg = q.getLog2Norm().getArray();
            NDArray ls = q.getLog2Scale().getArray();
            float[] lsv = ls.toFloatArray();
            float[] lgv = new float[lsv.length];
            for (int c = 0; c < lgv.length; c++) {
                lgv[c] = lsv[c] + (float) (Math.log(t) / Math.log(2)) + 2f;
            }
            lg.set(lgv);
            float[] prevLg = new float[lgv.length]; // gradients accumulate over rounds: compare the increments
            float[] prevLs = new float[lgv.length];
            for (int round = 0; round < ROUNDS; round++) {
                NDArray loss;
                List<ByteBuffer> poison;
                try (NDManager batch = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray penalty = q.normPenalty(batch, 4, false);
                    loss = penalty.mul(NativeArrays.full(batch, 1e-3f));
                    poison = FreedMemoryPoison.collectAndPoison();
                    gc.backward(loss);
                }
                float[] glg = lg.getGradient().toFloatArray();
                float[] gls = ls.getGradient().toFloatArray();
                float[] totalLg = glg.clone();
                float[] totalLs = gls.clone();
                for (int c = 0; c < glg.length; c++) {
                    glg[c] -= prevLg[c];
                    gls[c] -= prevLs[c];
                }
                prevLg = totalLg;
                prevLs = totalLs;
                for (int c = 0; c < lgv.length; c++) {
                    double g = Math.pow(2, lgv[c]);
                    double s = Math.pow(2, lsv[c]);
                    assertEquals(
                            1e-3 * g * Math.log(2),
                            glg[c],
                            1e-4 * 1e-3 * g,
                            "round " + round + " channel " + c + " d/dlog2g (poison " + poison.size() + ")");
                    assertEquals(
                            -1e-3 * t * s * Math.log(2),
                            gls[c],
                            1e-4 * 1e-3 * t * s,
                            "round " + round + " channel " + c + " d/dlog2s");
                }
            }
        }
    }
}
