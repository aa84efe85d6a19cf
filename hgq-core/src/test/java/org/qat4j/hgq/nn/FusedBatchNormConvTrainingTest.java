package org.qat4j.hgq.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * HConv1d/HConv2d with a fused batch norm train (batch statistics per channel over batch and positions,
 * a multi-axis reduction the engine only supports one axis at a time): the running mean and variance
 * move by {@code r' = m·r + (1 − m)·stat}, and γ, β get finite, non-zero gradients.
 */
class FusedBatchNormConvTrainingTest {

    private static final float MOMENTUM = 0.5f;

    @Test
    void conv2dWithFusedBatchNormTrains() {
        HConv2d layer = HConv2d.builder()
                .setFilters(3)
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .optStride(new Shape(2, 1))
                .optFusedBatchNorm(true)
                .optBatchNormMomentum(MOMENTUM)
                .optActivation(HActivationType.RELU)
                .build();
        check(
                layer,
                new Shape(4, 2, 7, 6),
                (xq, w) -> Conv2d.conv2d(xq, w, null, new Shape(2, 1), new Shape(1, 1), new Shape(1, 1), 1)
                        .singletonOrThrow());
    }

    @Test
    void conv1dWithFusedBatchNormTrains() {
        HConv1d layer = HConv1d.builder()
                .setFilters(4)
                .setKernelShape(new Shape(3))
                .optFusedBatchNorm(true)
                .optBatchNormMomentum(MOMENTUM)
                .build();
        check(
                layer,
                new Shape(5, 3, 11),
                (xq, w) -> Conv1d.conv1d(xq, w, null, new Shape(1), new Shape(0), new Shape(1), 1)
                        .singletonOrThrow());
    }

    private interface Conv {
        NDArray apply(NDArray xq, NDArray w);
    }

    private static void check(AbstractHgqLayer layer, Shape in, Conv conv) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            layer.initialize(m, DataType.FLOAT32, in);
            var params = layer.getParameters();
            float[] mean0 = params.get("bn_running_mean").getArray().toFloatArray();
            float[] var0 = params.get("bn_running_var").getArray().toFloatArray();
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(in).mul(1.5f).add(0.3f);
            for (String p : new String[] {"weight", "bn_gamma", "bn_beta"}) {
                params.get(p).getArray().setRequiresGradient(true);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = layer.forward(ps, new NDList(x), true).singletonOrThrow();
                gc.backward(out.sub(0.2f).square().mean());
            }
            for (String p : new String[] {"bn_gamma", "bn_beta"}) {
                float[] g = params.get(p).getArray().getGradient().toFloatArray();
                double sum = 0;
                for (float v : g) {
                    assertTrue(Float.isFinite(v), p + " gradient " + v);
                    sum += Math.abs(v);
                }
                assertTrue(sum > 0, p + " gets a gradient");
            }
            // the batch statistics, recomputed from the unfused convolution of the quantized input
            NDArray xq = layer.getInputQuantizer().quantize(ps, x, false);
            NDArray z = conv.apply(xq, params.get("weight").getArray());
            long c = z.getShape().get(1);
            long per = z.size() / c / z.getShape().get(0);
            float[] zs = z.toFloatArray();
            float[] mean1 = params.get("bn_running_mean").getArray().toFloatArray();
            float[] var1 = params.get("bn_running_var").getArray().toFloatArray();
            assertEquals(c, mean1.length);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                double sq = 0;
                long count = 0;
                for (int b = 0; b < z.getShape().get(0); b++) {
                    for (long e = 0; e < per; e++) {
                        double v = zs[(int) ((b * c + ch) * per + e)];
                        s += v;
                        sq += v * v;
                        count++;
                    }
                }
                double mu = s / count;
                double var = sq / count - mu * mu;
                double expMean = MOMENTUM * mean0[ch] + (1 - MOMENTUM) * mu;
                double expVar = MOMENTUM * var0[ch] + (1 - MOMENTUM) * var;
                assertEquals(expMean, mean1[ch], 1e-4 * (1 + Math.abs(expMean)), "running mean, channel " + ch);
                assertEquals(expVar, var1[ch], 1e-4 * (1 + Math.abs(expVar)), "running variance, channel " + ch);
            }
            // evaluation uses the running statistics and stays finite
            float[] eval =
                    layer.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            for (float v : eval) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}
