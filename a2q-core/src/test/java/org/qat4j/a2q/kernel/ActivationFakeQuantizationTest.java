package org.qat4j.a2q.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.core.engine.NativeArrays;

/**
 * The three-op straight-through graph of {@link ActivationFakeQuantization} computes the same values, bit for bit,
 * as the plain-Java reference and as the recorded chain {@code clamp(x/s + (round(x/s) − x/s).detach())·s} it
 * replaces, and the gradients of both (∂/∂x exactly the mask, ∂/∂s the LSQ closed form).
 */
class ActivationFakeQuantizationTest {

    private static final float[][] RANGES = {{0, 255}, {-128, 127}, {0, 3}, {-2, 1}, {0, 1}, {-8, 7}};
    private static final float[] SCALES = {0.0137f, 1f, 0.25f, 3.3e-3f, 7.1f};

    /** Random values plus the hard cases: grid points, half-way points and their neighbours, ±0, tiny, outside. */
    static float[] sample(Random rnd, float s, float lo, float hi, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float k = lo - 3 + rnd.nextInt((int) (hi - lo) + 7);
            x[i] = switch (i % 8) {
                case 0 -> (float) (rnd.nextGaussian() * (hi - lo) * s * 0.6);
                case 1 -> k * s;
                case 2 -> (k + 0.5f) * s;
                case 3 -> Math.nextUp((k + 0.5f) * s);
                case 4 -> Math.nextDown((k + 0.5f) * s);
                case 5 -> new float[] {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE}[rnd.nextInt(6)];
                case 6 -> (float) ((rnd.nextDouble() - 0.5) * s);
                default -> (float) ((rnd.nextDouble() * 4 - 2) * (hi - lo) * s);
            };
        }
        return x;
    }

    /** The recorded chain of the previous implementation, for comparison. */
    static NDArray chain(NDArray x, NDArray s, float lo, float hi) {
        NDArray y = x.div(s);
        NDArray r = y.add(y.round().sub(y).stopGradient());
        NDArray hiArray = NativeArrays.fullLike(r, hi);
        NDArray q;
        if (lo == 0f) {
            q = Activation.relu(r).sub(Activation.relu(r.sub(hiArray)));
        } else {
            NDArray loArray = NativeArrays.fullLike(r, lo);
            q = Activation.relu(r.sub(loArray))
                    .sub(Activation.relu(r.sub(hiArray)))
                    .add(loArray);
        }
        return q.mul(s);
    }

    @Test
    void forwardIsBitExactWithAndWithoutGradients() {
        Random rnd = new Random(11);
        int cases = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (float[] range : RANGES) {
                for (float s : SCALES) {
                    float[] xs = sample(rnd, s, range[0], range[1], 4096);
                    float[] expected = ActivationFakeQuantizationReference.forward(xs, s, range[0], range[1]);
                    try (NDManager sub = m.newSubManager()) { // evaluation: grad mode off, nothing recorded
                        float[] eval = ActivationFakeQuantization.fakeQuantize(
                                        sub.create(xs), sub.create(new float[] {s}), range[0], range[1], true)
                                .toFloatArray();
                        for (int i = 0; i < xs.length; i++) {
                            assertEquals(
                                    Float.floatToRawIntBits(expected[i]),
                                    Float.floatToRawIntBits(eval[i]),
                                    "evaluation, x=" + xs[i] + " s=" + s);
                        }
                    }
                    for (int mode = 0; mode < 8; mode++) {
                        try (NDManager sub = m.newSubManager()) {
                            NDArray x = sub.create(xs);
                            NDArray sa = sub.create(new float[] {s});
                            x.setRequiresGradient((mode & 1) != 0);
                            sa.setRequiresGradient((mode & 2) != 0);
                            float[] got;
                            float[] old;
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                if ((mode & 4) != 0) { // intermediate results (no leaves), as inside a network
                                    x = x.mul(NativeArrays.full(sub, 1f));
                                    sa = sa.abs();
                                }
                                got = ActivationFakeQuantization.fakeQuantize(
                                                x, sa, range[0], range[1], (mode & 2) != 0)
                                        .toFloatArray();
                                old = chain(x, sa, range[0], range[1]).toFloatArray();
                            }
                            for (int i = 0; i < xs.length; i++) {
                                String where = "x=" + xs[i] + " s=" + s + " range=[" + range[0] + ", " + range[1]
                                        + "] mode=" + mode;
                                assertEquals(
                                        Float.floatToRawIntBits(expected[i]),
                                        Float.floatToRawIntBits(got[i]),
                                        where + ": " + expected[i] + " vs " + got[i]);
                                assertEquals(
                                        Float.floatToRawIntBits(old[i]),
                                        Float.floatToRawIntBits(got[i]),
                                        where + " (previous chain): " + old[i] + " vs " + got[i]);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(RANGES.length * SCALES.length * 8 * 4096, cases);
    }

    @Test
    void gradientsAreTheMaskAndTheLsqStepGradient() {
        Random rnd = new Random(12);
        try (NDManager m = NDManager.newBaseManager()) {
            for (float[] range : RANGES) {
                for (float s : SCALES) {
                    float lo = range[0];
                    float hi = range[1];
                    float[] xs = sample(rnd, s, lo, hi, 2048);
                    float[] up = new float[xs.length];
                    for (int i = 0; i < up.length; i++) {
                        up[i] = (float) rnd.nextGaussian();
                    }
                    float[][] gx = new float[2][];
                    float[] gs = new float[2];
                    for (int impl = 0; impl < 2; impl++) {
                        try (NDManager sub = m.newSubManager()) {
                            NDArray x = sub.create(xs);
                            NDArray sa = sub.create(new float[] {-s});
                            x.setRequiresGradient(true);
                            sa.setRequiresGradient(true);
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                // intermediate results, as inside a network: ·1 and |−s| are exact
                                NDArray xi = x.mul(NativeArrays.full(sub, 1f));
                                NDArray si = sa.abs();
                                NDArray out = impl == 0
                                        ? ActivationFakeQuantization.fakeQuantize(xi, si, lo, hi, true)
                                        : chain(xi, si, lo, hi);
                                gc.backward(out.mul(sub.create(up)).sum());
                            }
                            gx[impl] = x.getGradient().toFloatArray();
                            gs[impl] = -sa.getGradient().toFloatArray()[0]; // ∂|p|/∂p = −1 at p = −s
                        }
                    }
                    float[] mask = ActivationFakeQuantizationReference.gradX(xs, s, lo, hi);
                    int inside = 0;
                    for (int i = 0; i < xs.length; i++) {
                        // the kernel passes the upstream gradient or 0 exactly; the chain goes through ·s and /s
                        assertTrue(up[i] * mask[i] == gx[0][i], "∂/∂x at x=" + xs[i] + " s=" + s + ": " + gx[0][i]);
                        assertEquals(up[i] * mask[i], gx[1][i], 1e-6f * Math.abs(up[i]), "chain ∂/∂x at x=" + xs[i]);
                        inside += (int) mask[i];
                    }
                    assertTrue(inside > 0 && inside < xs.length, "both masked and passed elements: " + inside);
                    double closed = ActivationFakeQuantizationReference.gradScale(xs, s, lo, hi, up);
                    double magnitude = 0;
                    for (int i = 0; i < xs.length; i++) {
                        magnitude += Math.abs(up[i]) * (Math.abs(hi) + Math.abs(lo) + Math.abs(xs[i] / s));
                    }
                    double tol = 1e-6 * magnitude;
                    assertEquals(closed, gs[0], tol, "∂/∂s of the kernel, s=" + s + " range " + lo + ".." + hi);
                    assertEquals(closed, gs[1], tol, "∂/∂s of the chain, s=" + s + " range " + lo + ".." + hi);
                }
            }
        }
    }

    @Test
    void recordsFewOpsAndKeepsNoJavaBackedOperand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(4, 1000));
            NDArray s = m.create(new float[] {0.02f});
            x.setRequiresGradient(true);
            s.setRequiresGradient(true);
            float[] first;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = ActivationFakeQuantization.fakeQuantize(x, s, 0f, 255f, true);
                java.util.List<java.nio.ByteBuffer> poison = FreedMemoryPoison.collectAndPoison();
                gc.backward(out.sum());
                assertTrue(poison.size() > 0);
            }
            first = s.getGradient().toFloatArray();
            assertTrue(Float.isFinite(first[0]), "∂/∂s after garbage collection: " + first[0]);
            for (float g : x.getGradient().toFloatArray()) {
                assertTrue(g == 0f || g == 1f, "∂/∂x is a mask, got " + g);
            }
        }
    }
}
