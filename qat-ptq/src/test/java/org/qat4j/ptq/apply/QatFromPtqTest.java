package org.qat4j.ptq.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.qat4j.a2q.kernel.IntegerRowPreimage;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * A QAT network started from a PTQ twin ({@link QatFromPtq}) computes the PTQ twin's function bit for bit when its
 * layers are unconstrained with at least the PTQ widths (here the input quantizer owned by the first layer, as the
 * A2Q recipe builds it, and 8-bit first and last layers), keeps A2Q+ integers inside the bound when constrained,
 * and refuses a different network naming the layer.
 */
class QatFromPtqTest {

    private static SmallFloatMlp mlp;
    private static QuantizedTwin gpfq;

    @BeforeAll
    static void quantize() {
        mlp = new SmallFloatMlp(5, 1024);
        PtqConfig config = PtqConfig.builder()
                .setMethod(PtqMethod.GPFQ)
                .setWeightBits(4)
                .setActivationBits(4)
                .build();
        gpfq = PostTrainingQuantizer.quantize(
                mlp.model.getBlock(), mlp.model.getNDManager(), mlp.calibration(256), config, s -> {});
    }

    @AfterAll
    static void close() {
        mlp.close();
    }

    /** The A2Q recipe's layout: the input quantizer inside the first layer, QReLUs feeding the next layer. */
    private static Block recipeStyle(Variant inner, int p, int firstLastBits, int hidden) {
        ActivationQuantizer input =
                ActivationQuantizer.builder().setBits(8).optSigned(false).build();
        QReLU r1 = QReLU.of(4);
        QReLU r2 = QReLU.of(4);
        return new SequentialBlock()
                .add(QLinear.builder()
                        .setUnits(hidden)
                        .setVariant(Variant.UNCONSTRAINED)
                        .setWeightBits(firstLastBits)
                        .optAccumulatorBits(32)
                        .optInputQuantizer(input)
                        .build())
                .add(r1)
                .add(QLinear.builder()
                        .setUnits(24)
                        .setVariant(inner)
                        .setWeightBits(4)
                        .optAccumulatorBits(p)
                        .optInputFrom(r1)
                        .build())
                .add(r2)
                .add(QLinear.builder()
                        .setUnits(SmallFloatMlp.CLASSES)
                        .setVariant(Variant.UNCONSTRAINED)
                        .setWeightBits(firstLastBits)
                        .optAccumulatorBits(32)
                        .optInputFrom(r2)
                        .build());
    }

    private static float[] forward(Block b, NDManager m, NDArray x) {
        try (NoGradScope ignored = NoGradScope.open()) {
            return b.forward(new ParameterStore(m, false), new NDList(x), false)
                    .head()
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
    }

    @Test
    void anUnconstrainedTargetComputesThePtqTwinBitForBit() {
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            Block target = recipeStyle(Variant.UNCONSTRAINED, 32, 8, 24);
            target.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
            QatFromPtq.Transfer t = QatFromPtq.transfer(gpfq.twin().block(), target, false);
            assertEquals(3, t.layers());
            assertEquals(3, t.activationQuantizers());
            // the signed 8-bit PTQ input quantizer into an unsigned one: same step, inputs are in [0, 1)
            assertTrue(
                    t.notes().stream().anyMatch(n -> n.contains("activation quantizer 1")),
                    t.notes().toString());
            NDArray x = mlp.x.get("256:1024");
            float[] want = forward(gpfq.twin().block(), m, x);
            float[] got = forward(target, m, x);
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "output " + i);
            }
            List<AbstractQLayer> from = BlockTrees.find(gpfq.twin().block(), AbstractQLayer.class);
            List<AbstractQLayer> to = BlockTrees.find(target, AbstractQLayer.class);
            for (int l = 0; l < from.size(); l++) {
                long[][] a = from.get(l).quantizedWeights().intWeights();
                long[][] b = to.get(l).quantizedWeights().intWeights();
                for (int c = 0; c < a.length; c++) {
                    assertArrayEquals(a[c], b[c], "layer " + l + " channel " + c);
                }
            }
        }
    }

    @Test
    void anA2qPlusTargetKeepsItsIntegersInsideTheBound() {
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            int p = 12;
            Block target = recipeStyle(Variant.A2Q_PLUS, p, 8, 24);
            target.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
            QatFromPtq.Transfer t = QatFromPtq.transfer(gpfq.twin().block(), target, true);
            assertTrue(
                    t.notes().stream().anyMatch(n -> n.contains("A2Q_PLUS at P = 12")),
                    t.notes().toString());
            AbstractQLayer inner = BlockTrees.find(target, AbstractQLayer.class).get(1);
            long limit = A2qBounds.maxHalfSumA2qPlus(p, 4);
            for (long[] row : inner.quantizedWeights().intWeights()) {
                long pos = 0;
                long neg = 0;
                for (long q : row) {
                    pos += Math.max(q, 0);
                    neg += Math.max(-q, 0);
                }
                assertTrue(pos <= limit && neg <= limit, "sign halves " + pos + ", " + neg + " > " + limit);
            }
        }
    }

    /**
     * AXE's integer rows do not sum to zero; an A2Q+ layer started from them computes exactly those integers in every
     * channel whose row A2Q+'s quantizer can output at all (a zero-mean real row truncating to it exists iff |Σq| is
     * below the count of entries of the other sign or zero, {@link IntegerRowPreimage}); the other channels start the
     * reported number of one-unit moves away. With and without EP-init.
     */
    @Test
    void anA2qPlusTargetStartedFromAxeComputesAxesIntegers() {
        int p = 12;
        PtqConfig config = PtqConfig.builder()
                .setMethod(PtqMethod.AXE)
                .setWeightBits(4)
                .setActivationBits(4)
                .optAccumulatorBits(p)
                .optFirstLastWeightBits(8)
                .build();
        QuantizedTwin axe = PostTrainingQuantizer.quantize(
                mlp.model.getBlock(), mlp.model.getNDManager(), mlp.calibration(256), config, s -> {});
        AbstractQLayer axeInner =
                BlockTrees.find(axe.twin().block(), AbstractQLayer.class).get(1);
        long[][] want = axeInner.quantizedWeights().intWeights();
        float t = org.qat4j.a2q.kernel.AccumulatorBoundsFloat32.bound(Variant.A2Q_PLUS, p, 4, false);
        int reachable = 0;
        int nonZeroSum = 0;
        for (long[] row : want) {
            reachable += IntegerRowPreimage.of(row, Variant.A2Q_PLUS, t).found() ? 1 : 0;
            nonZeroSum += java.util.Arrays.stream(row).sum() != 0 ? 1 : 0;
        }
        assertTrue(reachable > 0 && nonZeroSum > 0, reachable + " reachable, " + nonZeroSum + " with Σq ≠ 0");
        for (boolean epInit : new boolean[] {false, true}) {
            try (NDManager m = mlp.model.getNDManager().newSubManager()) {
                Block target = recipeStyle(Variant.A2Q_PLUS, p, 8, 24);
                target.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
                QatFromPtq.Transfer t2 = QatFromPtq.transfer(axe.twin().block(), target, epInit);
                String note = "the PTQ integers in " + reachable + " of 24 channels";
                assertTrue(
                        t2.notes().stream().anyMatch(n -> n.contains(note)),
                        t2.notes().toString());
                long[][] got = BlockTrees.find(target, AbstractQLayer.class)
                        .get(1)
                        .quantizedWeights()
                        .intWeights();
                for (int c = 0; c < want.length; c++) {
                    IntegerRowPreimage.Result r = IntegerRowPreimage.nearest(want[c], Variant.A2Q_PLUS, t);
                    if (r.exact()) {
                        assertArrayEquals(want[c], got[c], "channel " + c + " (EP-init " + epInit + ")");
                        continue;
                    }
                    long units = 0;
                    long sum = 0;
                    long against = 0;
                    for (int i = 0; i < want[c].length; i++) {
                        units += Math.abs(got[c][i] - want[c][i]);
                        sum += want[c][i];
                    }
                    for (long x : want[c]) {
                        against += x == 0 || Long.signum(x) == -Long.signum(sum) ? 1 : 0;
                    }
                    assertTrue(Math.abs(sum) >= against, "channel " + c + ": Σq = " + sum + ", " + against);
                    assertEquals(r.changedUnits(), units, "channel " + c + ": units moved");
                }
                // the rest of the network is the twin's: with the started integers the twin computes the same bits
                long[][] kept = BlockTrees.find(axe.twin().block(), AbstractQLayer.class)
                        .get(1)
                        .quantizedWeights()
                        .intWeights();
                axe.twin().setIntegerWeights(axeInner, got);
                NDArray x = mlp.x.get("256:1024");
                float[] a = forward(axe.twin().block(), m, x);
                float[] b = forward(target, m, x);
                axe.twin().setIntegerWeights(axeInner, kept);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), "output " + i);
                }
            }
        }
    }

    @Test
    void aDifferentNetworkIsRefusedNamingTheLayer() {
        try (NDManager m = mlp.model.getNDManager().newSubManager()) {
            Block wider = recipeStyle(Variant.UNCONSTRAINED, 32, 8, 32);
            wider.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> QatFromPtq.transfer(gpfq.twin().block(), wider, false));
            assertTrue(
                    e.getMessage().contains("layer 1 (QLinear) has weight shape (32, 16) here and (24, 16)"),
                    e.getMessage());
            Block shorter = new SequentialBlock()
                    .add(QLinear.builder()
                            .setUnits(SmallFloatMlp.CLASSES)
                            .setVariant(Variant.UNCONSTRAINED)
                            .setWeightBits(8)
                            .optAccumulatorBits(32)
                            .optInputQuantizer(ActivationQuantizer.builder()
                                    .setBits(8)
                                    .optSigned(false)
                                    .build())
                            .build());
            shorter.initialize(m, DataType.FLOAT32, new Shape(1, SmallFloatMlp.IN));
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> QatFromPtq.transfer(gpfq.twin().block(), shorter, false));
            assertTrue(
                    e.getMessage().contains("the PTQ network has 3 quantized layers, this network 1"), e.getMessage());
        }
    }
}
