package org.qat4j.ptq.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.quant.QuantizedConstant;

/**
 * An HGQ network started from a PTQ twin ({@link HgqFromPtq}): with power-of-two PTQ steps and clips that no
 * activation exceeds, its first evaluation is the PTQ twin bit for bit; with the min-max steps as they are (not
 * powers of two) its weights are the PTQ weights rounded to the 2^e grid of each step, within half a grid step;
 * a different network is refused naming the layer.
 */
class HgqFromPtqTest {

    private static SmallFloatMlp mlp;
    private static QuantizedTwin minmax;

    @BeforeAll
    static void quantize() {
        mlp = new SmallFloatMlp(5, 1024);
        PtqConfig config = PtqConfig.builder()
                .setMethod(PtqMethod.MINMAX_CHANNEL)
                .setWeightBits(4)
                .setActivationBits(4)
                .build();
        minmax = PostTrainingQuantizer.quantize(
                mlp.model.getBlock(), mlp.model.getNDManager(), mlp.calibration(256), config, s -> {});
    }

    @AfterAll
    static void close() {
        mlp.close();
    }

    private static Block hgqMlp(int hidden) {
        return new SequentialBlock()
                .add(HDense.builder()
                        .setUnits(hidden)
                        .optActivation(HActivationType.RELU)
                        .build())
                .add(HDense.builder()
                        .setUnits(24)
                        .optActivation(HActivationType.RELU)
                        .build())
                .add(HDense.builder().setUnits(SmallFloatMlp.CLASSES).build());
    }

    private static float[] forward(Block b, NDManager m, NDArray x) {
        try (NoGradScope ignored = NoGradScope.open()) {
            return b.forward(new ParameterStore(m, false), new NDList(x), false)
                    .head()
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
    }

    /** Every PTQ step moved to the power of two above it: clips grow by at most 2×, steps stay powers of two. */
    private static void powerOfTwoSteps(PtqTwin twin) {
        for (AbstractQLayer layer : BlockTrees.find(twin.block(), AbstractQLayer.class)) {
            double[] s = twin.weightScales(layer);
            double[] alpha = new double[s.length];
            long qMax = (1L << (layer.getWeightBits() - 1)) - 1;
            for (int c = 0; c < s.length; c++) {
                alpha[c] = Math.scalb(1.0, Math.getExponent(s[c]) + 1) * qMax;
            }
            twin.setWeightClips(layer, alpha);
        }
        for (ActivationQuantizer q : BlockTrees.find(twin.block(), ActivationQuantizer.class)) {
            twin.setActivationClip(q, Math.scalb(1.0, Math.getExponent(q.scaleValue()) + 1) * q.maxInt());
        }
    }

    @Test
    void withPowerOfTwoStepsTheStartIsThePtqTwinBitForBit() {
        PtqConfig config = PtqConfig.builder()
                .setMethod(PtqMethod.MINMAX_CHANNEL)
                .setWeightBits(4)
                .setActivationBits(4)
                .build();
        QuantizedTwin pow2 = PostTrainingQuantizer.quantize(
                mlp.model.getBlock(), mlp.model.getNDManager(), mlp.calibration(256), config, s -> {});
        powerOfTwoSteps(pow2.twin());
        for (AbstractQLayer layer : BlockTrees.find(pow2.twin().block(), AbstractQLayer.class)) {
            for (double s : pow2.twin().weightScales(layer)) {
                assertEquals(Math.scalb(1.0, Math.getExponent(s)), s, 0.0, "steps are powers of two");
            }
        }
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            Block target = hgqMlp(24);
            target.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
            HgqFromPtq.Transfer t = HgqFromPtq.transfer(pow2.twin().block(), target);
            assertEquals(3, t.layers());
            assertTrue(
                    t.notes().stream().allMatch(n -> n.endsWith("exact")),
                    t.notes().toString());
            NDArray x = mlp.x.get("256:1024");
            float[] want = forward(pow2.twin().block(), m, x);
            float[] got = forward(target, m, x);
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "output " + i);
            }
        }
    }

    @Test
    void otherStepsRoundToTheGridBelowTheStep() {
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            Block target = hgqMlp(24);
            target.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
            HgqFromPtq.Transfer t = HgqFromPtq.transfer(minmax.twin().block(), target);
            assertTrue(
                    t.notes().get(0).contains("not a power of two"), t.notes().toString());
            List<AbstractQLayer> from = BlockTrees.find(minmax.twin().block(), AbstractQLayer.class);
            List<AbstractHgqLayer> to = BlockTrees.find(target, AbstractHgqLayer.class);
            for (int l = 0; l < from.size(); l++) {
                var qw = from.get(l).quantizedWeights();
                QuantizedConstant hk = to.get(l).quantizedKernel();
                int k = qw.intWeights()[0].length;
                for (int c = 0; c < qw.intWeights().length; c++) {
                    float s = qw.scale()[c];
                    int e = Math.getExponent(s);
                    for (int j = 0; j < k; j++) {
                        double ptq = (float) (qw.intWeights()[c][j] * s);
                        int idx = c * k + j;
                        assertEquals(-e, hk.fractionalBits()[idx], "layer " + l + " weight " + idx);
                        assertTrue(
                                Math.abs(hk.value(idx) - ptq) <= Math.scalb(1.0, e - 1),
                                "layer " + l + " weight " + idx + ": " + hk.value(idx) + " vs " + ptq);
                    }
                }
            }
        }
    }

    @Test
    void aDifferentNetworkIsRefusedNamingTheLayer() {
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            Block wider = hgqMlp(32);
            wider.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> HgqFromPtq.transfer(minmax.twin().block(), wider));
            assertTrue(
                    e.getMessage().contains("layer 1 (HDense) has weight shape (32, 16) here and (24, 16)"),
                    e.getMessage());
        }
    }
}
