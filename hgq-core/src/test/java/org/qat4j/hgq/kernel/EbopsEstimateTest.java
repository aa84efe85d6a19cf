package org.qat4j.hgq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link EbopsEstimate}: value {@code Σ b_in·b_w} and gradients {@code ∂/∂b_in[j] = Σ_o b_w[o,j]},
 * {@code ∂/∂f_w = s·b_in·[b_w > 0]} (summed over shared axes), against a direct computation. All terms
 * are small integers times a power of two, so float32 sums are exact and the checks are equalities.
 */
class EbopsEstimateTest {

    @Test
    void valueAndGradientsMatchTheClosedFormsForPerWeightAndPerChannelBits() {
        Random random = new Random(23);
        int out = 12;
        int in = 20;
        float[] bw = new float[out * in];
        for (int e = 0; e < bw.length; e++) {
            bw[e] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(9);
        }
        float[] bx = new float[in];
        for (int j = 0; j < in; j++) {
            bx[j] = random.nextInt(10);
        }
        for (int variant = 0; variant < 3; variant++) {
            boolean perChannel = variant == 1;
            float scale = perChannel ? 0.25f : 1f;
            // variant 2: the loss term 4·EBOPs + 0.5·Σ f_w, one carrier for both gradients
            float beta = variant == 2 ? 4f : 1f;
            float l1 = variant == 2 ? 0.5f : 0f;
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray inputBits = m.create(bx, new Shape(1, in));
                NDArray f = perChannel ? m.zeros(new Shape(out, 1)) : m.full(new Shape(out, in), 3f);
                inputBits.setRequiresGradient(true);
                f.setRequiresGradient(true);
                float value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray e = variant == 2
                            ? EbopsEstimate.lossTerm(m.create(bw, new Shape(out, in)), inputBits, f, scale, beta, l1)
                            : EbopsEstimate.of(m.create(bw, new Shape(out, in)), inputBits, f, scale);
                    value = e.getFloat();
                    gc.backward(e);
                }
                float[] gIn = inputBits.getGradient().toFloatArray();
                float[] gF = f.getGradient().toFloatArray();
                double want = 0;
                for (int o = 0; o < out; o++) {
                    for (int j = 0; j < in; j++) {
                        want += bw[o * in + j] * bx[j];
                    }
                }
                if (variant == 2) {
                    want = beta * want + l1 * 3f * out * in;
                }
                assertEquals(want, value, 0.0, "estimate");
                for (int j = 0; j < in; j++) {
                    double col = 0;
                    for (int o = 0; o < out; o++) {
                        col += bw[o * in + j];
                    }
                    assertEquals(beta * col, gIn[j], 0.0, "d/d b_in[" + j + "]");
                }
                for (int o = 0; o < out; o++) {
                    double row = 0;
                    for (int j = 0; j < in; j++) {
                        double g = (bw[o * in + j] > 0 ? beta * scale * bx[j] : 0) + l1;
                        if (!perChannel) {
                            assertEquals(g, gF[o * in + j], 0.0, "d/d f_w[" + o + "," + j + "]");
                        }
                        row += g;
                    }
                    if (perChannel) {
                        assertEquals(row, gF[o], 0.0, "d/d f_w[" + o + "] (per channel)");
                    }
                }
            }
        }
    }
}
