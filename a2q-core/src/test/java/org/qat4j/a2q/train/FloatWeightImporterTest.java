package org.qat4j.a2q.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.kernel.WeightNormQuantization;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.runtime.model.A2qConstraint.Variant;

class FloatWeightImporterTest {

    static SequentialBlock floatNet() {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(6)
                        .build())
                .add(Activation::relu)
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(4).build());
    }

    static SequentialBlock twin(Variant variant, int p) {
        QIdentity in = QIdentity.unsigned(8);
        QReLU r = QReLU.of(8);
        return new SequentialBlock()
                .add(in)
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(6)
                        .setVariant(variant)
                        .setWeightBits(8)
                        .optAccumulatorBits(p)
                        .optInputFrom(in)
                        .build())
                .add(r)
                .add(Blocks.batchFlattenBlock())
                .add(QLinear.builder()
                        .setUnits(4)
                        .setVariant(variant)
                        .setWeightBits(8)
                        .optAccumulatorBits(p)
                        .optInputFrom(r)
                        .build());
    }

    @Test
    void importsWeightsAndRederivesScaleAndNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock f = floatNet();
            f.setInitializer(new NormalInitializer(0.5f), ai.djl.nn.Parameter.Type.BIAS);
            f.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 6));
            SequentialBlock q = twin(Variant.A2Q_PLUS, 16);
            q.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 6));
            assertEquals(2, FloatWeightImporter.importWeights(f, q, false));
            List<AbstractQLayer> layers = BlockTrees.find(q, AbstractQLayer.class);
            Conv2d conv = (Conv2d) f.getChildren().get(0).getValue();
            NDArray fw = conv.getParameters().get("weight").getArray();
            NDArray qv = layers.get(0).getWeightQuantizer().getWeight().getArray();
            assertArrayEquals(bits(fw.toFloatArray()), bits(qv.toFloatArray()));
            assertArrayEquals(
                    bits(conv.getParameters().get("bias").getArray().toFloatArray()),
                    bits(layers.get(0).getBias()));
            // s = 2^log2(absmax/127), g = 2^log2(‖v‖₁), per channel
            NDArray v2d = fw.reshape(6, -1);
            float[] s = WeightNormQuantization.pow2Clamped(
                            layers.get(0).getWeightQuantizer().getLog2Scale().getArray())
                    .toFloatArray();
            float[] g = WeightNormQuantization.pow2Clamped(
                            layers.get(0).getWeightQuantizer().getLog2Norm().getArray())
                    .toFloatArray();
            float[] absmax = v2d.abs().max(new int[] {1}).toFloatArray();
            float[] l1 = v2d.abs().sum(new int[] {1}).toFloatArray();
            for (int c = 0; c < 6; c++) {
                assertEquals(absmax[c] / 127f, s[c], absmax[c] * 1e-6f);
                assertEquals(l1[c], g[c], l1[c] * 1e-5f);
            }
        }
    }

    @Test
    void epInitProjectsOntoTheBallAndLowersG() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock f = floatNet();
            f.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 6));
            SequentialBlock q = twin(Variant.A2Q_PLUS, 12); // tight: the ball is small
            q.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 6));
            FloatWeightImporter.importWeights(f, q, true);
            int projected = 0;
            for (AbstractQLayer layer : BlockTrees.find(q, AbstractQLayer.class)) {
                var wq = layer.getWeightQuantizer();
                NDArray v2d = wq.getWeight().getArray().reshape(layer.getOutChannels(), -1);
                float[] l1 = v2d.abs().sum(new int[] {1}).toFloatArray();
                float[] s = WeightNormQuantization.pow2Clamped(wq.getLog2Scale().getArray())
                        .toFloatArray();
                float[] g = WeightNormQuantization.pow2Clamped(wq.getLog2Norm().getArray())
                        .toFloatArray();
                float t = wq.bound(layer.getInputBits(), layer.isInputSigned());
                for (int c = 0; c < l1.length; c++) {
                    float radius = s[c] * t;
                    assertTrue(l1[c] <= radius * (1 + 1e-5f), "channel " + c + ": " + l1[c] + " > " + radius);
                    assertTrue(g[c] <= radius * (1 + 1e-6f));
                    if (l1[c] < radius * 0.999f) {
                        continue;
                    }
                    projected++;
                }
            }
            assertTrue(projected > 0, "some channel must have been projected");
            assertTrue(BoundAudit.audit(q).ok());
        }
    }

    @Test
    void mismatchedModelsAreRejectedWithAClearMessage() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock f = floatNet();
            f.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 6));
            SequentialBlock q = twin(Variant.A2Q, 16);
            q.initialize(m, DataType.FLOAT32, new Shape(1, 3, 6, 6)); // 3 input channels, not 2
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> FloatWeightImporter.importWeights(f, q, false));
            assertTrue(e.getMessage().contains("layer 0") && e.getMessage().contains("shape"), e.getMessage());
        }
    }

    @Test
    void normAndScaleParametersAreExcludedFromWeightDecay() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock q = twin(Variant.A2Q, 16);
            q.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 6));
            AbstractQLayer layer = BlockTrees.find(q, AbstractQLayer.class).get(0);
            var wq = layer.getWeightQuantizer();
            assertTrue(A2qOptimizers.isUndecayed(q, wq.getLog2Norm()));
            assertTrue(A2qOptimizers.isUndecayed(q, wq.getLog2Scale()));
            assertTrue(A2qOptimizers.isUndecayed(q, layer.getBiasParameter()));
            assertTrue(A2qOptimizers.isUndecayed(q, layer.getInputQuantizer().getScaleParameter()));
            assertFalse(A2qOptimizers.isUndecayed(q, wq.getWeight()));
            // with a zero gradient, only weight decay moves a parameter
            Optimizer opt = A2qOptimizers.splitWeightDecay(
                    q,
                    Optimizer.sgd()
                            .setLearningRateTracker(Tracker.fixed(0.1f))
                            .optWeightDecays(0.5f)
                            .build(),
                    Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
            NDArray lg = wq.getLog2Norm().getArray().duplicate();
            NDArray v = wq.getWeight().getArray().duplicate();
            float[] lgBefore = lg.toFloatArray();
            float[] vBefore = v.toFloatArray();
            opt.update(wq.getLog2Norm().getId(), lg, lg.zerosLike());
            opt.update(wq.getWeight().getId(), v, v.zerosLike());
            assertArrayEquals(lgBefore, lg.toFloatArray(), 0f);
            float[] vAfter = v.toFloatArray();
            boolean shrunk = false;
            for (int i = 0; i < vAfter.length; i++) {
                shrunk |= Math.abs(vAfter[i]) < Math.abs(vBefore[i]);
            }
            assertTrue(shrunk, "the float weights decay");
        }
    }

    static int[] bits(float[] f) {
        int[] r = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            r[i] = Float.floatToRawIntBits(f[i]);
        }
        return r;
    }
}
