package org.qat4j.a2q.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.core.engine.NativeArrays;

/**
 * The two-op straight-through rounding of the weight quantizer ({@code WeightNormQuantization.steClamped}) gives
 * the same integers, bit for bit (+0 for zeros), and the same gradient (as numbers: −0 for +0 where masked) as the
 * recorded chain {@code clip(y + (r − y).detach(), ±qMax)} it replaces, for trunc (A2Q / A2Q+) and
 * round-half-even (unconstrained), with and without gradients.
 */
class SteClampedTest {

    static NDArray chain(NDArray y, boolean towardZero, float qMax) {
        NDArray r = towardZero ? y.trunc() : y.round();
        return NativeArrays.clip(y.add(r.sub(y).stopGradient()), -qMax, qMax);
    }

    static float[] sample(Random rnd, float qMax, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float k = rnd.nextInt((int) (2 * qMax) + 7) - qMax - 3;
            y[i] = switch (i % 7) {
                case 0 -> (float) (rnd.nextGaussian() * qMax);
                case 1 -> k;
                case 2 -> k + 0.5f;
                case 3 -> Math.nextUp(k);
                case 4 -> Math.nextDown(k + 0.5f);
                case 5 -> new float[] {0f, -0f, -0.4f, 0.4f, -1e-30f, Float.MIN_VALUE}[rnd.nextInt(6)];
                default -> (float) ((rnd.nextDouble() - 0.5) * 6 * qMax);
            };
        }
        return y;
    }

    @Test
    void valuesAndGradientsEqualTheChainBitForBit() {
        Random rnd = new Random(5);
        int checks = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (float qMax : new float[] {1f, 3f, 7f, 127f, 32767f}) {
                for (boolean towardZero : new boolean[] {true, false}) {
                    float[] ys = sample(rnd, qMax, 3000);
                    float[] up = new float[ys.length];
                    for (int i = 0; i < up.length; i++) {
                        up[i] = (float) rnd.nextGaussian();
                    }
                    float[][] values = new float[3][];
                    float[][] grads = new float[2][];
                    for (int impl = 0; impl < 2; impl++) {
                        try (NDManager sub = m.newSubManager()) {
                            NDArray y = sub.create(ys);
                            y.setRequiresGradient(true);
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                // an intermediate result, as v / pre is in the quantizer (·1 is exact)
                                NDArray yi = y.mul(NativeArrays.full(sub, 1f));
                                NDArray q = impl == 0
                                        ? WeightNormQuantization.steClamped(yi, towardZero, qMax)
                                        : chain(yi, towardZero, qMax);
                                values[impl] = q.toFloatArray();
                                gc.backward(q.mul(sub.create(up)).sum());
                            }
                            grads[impl] = y.getGradient().toFloatArray();
                        }
                    }
                    try (NDManager sub = m.newSubManager()) {
                        values[2] = WeightNormQuantization.steClamped(sub.create(ys), towardZero, qMax)
                                .toFloatArray();
                    }
                    int passed = 0;
                    for (int i = 0; i < ys.length; i++) {
                        String where = "y=" + ys[i] + " qMax=" + qMax + " towardZero=" + towardZero;
                        int expected = Float.floatToRawIntBits(values[1][i]);
                        assertEquals(expected, Float.floatToRawIntBits(values[0][i]), where);
                        assertEquals(expected, Float.floatToRawIntBits(values[2][i]), where + " (no gradient)");
                        // equal as numbers: a masked gradient is upstream·0, so −0 where the chain had +0
                        assertTrue(
                                grads[1][i] == grads[0][i], where + " gradient " + grads[1][i] + " vs " + grads[0][i]);
                        passed += grads[0][i] != 0f ? 1 : 0;
                        checks += 3;
                    }
                    assertTrue(passed > 0 && passed < ys.length, "both clipped and passed gradients: " + passed);
                }
            }
        }
        assertEquals(5 * 2 * 3000 * 3, checks);
    }
}
