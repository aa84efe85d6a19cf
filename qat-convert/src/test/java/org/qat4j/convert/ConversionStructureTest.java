package org.qat4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.nn.QConv1d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.hgq.nn.HConv1d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.nn.HQuantize;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.PoolOp;

/** What each float block becomes, how pooling geometry is read back, and what is refused. */
class ConversionStructureTest {

    @BeforeEach
    void seed() {
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
    }

    private static List<Class<?>> kinds(Block b) {
        return b.getChildren().values().stream().<Class<?>>map(Object::getClass).toList();
    }

    private static NDArray forward(Block b, NDArray x) {
        return b.forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
                .singletonOrThrow();
    }

    @Test
    void poolingGeometryIsReadBackExactly() {
        Object[][] cases = {
            {
                Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)),
                true,
                new Shape(3, 3),
                new Shape(2, 2),
                new Shape(1, 1)
            },
            {
                Pool.maxPool2dBlock(new Shape(2, 3), new Shape(1, 2)),
                true,
                new Shape(2, 3),
                new Shape(1, 2),
                new Shape(0, 0)
            },
            {Pool.avgPool2dBlock(new Shape(2, 2)), false, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0)},
            {
                Pool.avgPool2dBlock(new Shape(4, 2), new Shape(2, 1)),
                false,
                new Shape(4, 2),
                new Shape(2, 1),
                new Shape(0, 0)
            },
            {
                Pool.maxPool1dBlock(new Shape(5), new Shape(3), new Shape(2)),
                true,
                new Shape(5),
                new Shape(3),
                new Shape(2)
            },
            {Pool.avgPool1dBlock(new Shape(8), new Shape(4)), false, new Shape(8), new Shape(4), new Shape(0)},
        };
        for (Object[] c : cases) {
            QatPool g = DjlBlockProbes.pool((ai.djl.nn.LambdaBlock) c[0], "p");
            assertEquals(c[1], g.getPoolKind() == PoolOp.Kind.MAX, g.toString());
            assertEquals(c[2], g.getWindow(), g.toString());
            assertEquals(c[3], g.getStride(), g.toString());
            assertEquals(c[4], g.getPadding(), g.toString());
        }
    }

    @Test
    void averagePoolingWithoutAnExactTwinIsRefused() {
        Block net = new SequentialBlock().add(Pool.avgPool2dBlock(new Shape(3, 3)));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 6, 6));
            UnsupportedBlockException e = assertThrows(
                    UnsupportedBlockException.class,
                    () -> QatModels.wrap(net, QuantizationPolicy.hgq().build(), m));
            assertEquals("root/00:LambdaBlock[avgPool2d]", e.getPath());
            assertTrue(e.getMessage().contains("2^n"), e.getMessage());
        }
    }

    @Test
    void denseBatchNormIsFusedIntoHgqWithItsStatistics() {
        Block net = new SequentialBlock()
                .add(Linear.builder().setUnits(6).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(2).build());
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(4, 5));
            BatchNorm bn = (BatchNorm) net.getChildren().get(1).getValue();
            bn.getParameters().get("runningMean").getArray().set(new float[] {1, 2, 3, 4, 5, 6});
            bn.getParameters().get("runningVar").getArray().set(new float[] {.5f, 1, 2, 3, 4, 5});
            WrappedModel w = QatModels.wrap(net, QuantizationPolicy.hgq().build(), m);
            assertEquals(List.of(HDense.class, HDense.class), kinds(w.block()));
            HDense d = (HDense) w.block().getChildren().get(0).getValue();
            assertTrue(d.isFusedBatchNorm());
            assertEquals(org.qat4j.hgq.nn.HActivationType.RELU, d.getActivation());
            assertTrue(d.getParameters()
                    .get("bn_running_mean")
                    .getArray()
                    .contentEquals(bn.getParameters().get("runningMean").getArray()));
            assertTrue(d.getParameters()
                    .get("bn_running_var")
                    .getArray()
                    .contentEquals(bn.getParameters().get("runningVar").getArray()));
            assertEquals(
                    1, w.layers().stream().filter(l -> l.batchNorm() != null).count());
            // the kernel bits were re-derived from the trained weights and still train
            assertTrue(d.getKernelQuantizer()
                    .getFractionalBitsParameter()
                    .getArray()
                    .hasGradient());
            assertTrue(d.getKernelQuantizer().getFractionalBitsParameter().requiresGradient());
        }
    }

    @Test
    void a2qInsertsInputQuantizersWhereTheGridIsLost() {
        // conv1d -> relu -> maxpool (grid kept) -> flatten -> linear -> linear (no relu: new QIdentity)
        Block net = new SequentialBlock()
                .add(Conv1d.builder().setFilters(3).setKernelShape(new Shape(3)).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool1dBlock(new Shape(2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(5).build())
                .add(Linear.builder().setUnits(2).build());
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 2, 10));
            QuantizationPolicy p = QuantizationPolicy.a2q()
                    .setEveryLayer(new A2qLayerChoice(Variant.A2Q, 6, 6, 20))
                    .build();
            WrappedModel w = QatModels.wrap(net, p, m);
            assertEquals(
                    List.of(
                            QIdentity.class,
                            QConv1d.class,
                            QReLU.class,
                            QatPool.class,
                            QatFlatten.class,
                            QLinear.class,
                            QIdentity.class,
                            QLinear.class),
                    kinds(w.block()));
            QReLU relu = (QReLU) w.block().getChildren().get(2).getValue();
            QLinear l1 = (QLinear) w.block().getChildren().get(5).getValue();
            assertEquals(relu.getQuantizer(), l1.getInputQuantizer(), "max pool and flatten keep the ReLU's grid");
            assertTrue(
                    !((QIdentity) w.block().getChildren().get(0).getValue())
                            .getQuantizer()
                            .isScaleTrainable(),
                    "the model input's scale is fixed by calibration");
            assertEquals(6, l1.getInputBits());
        }
    }

    @Test
    void hgqConv1dAndPoolFirstGetAnInputQuantizer() {
        Block net = new SequentialBlock()
                .add(Pool.maxPool1dBlock(new Shape(2)))
                .add(Conv1d.builder().setFilters(3).setKernelShape(new Shape(3)).build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2).build());
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 2, 12));
            WrappedModel w = QatModels.wrap(net, QuantizationPolicy.hgq().build(), m);
            assertEquals(
                    List.of(HQuantize.class, QatPool.class, HConv1d.class, QatFlatten.class, HDense.class),
                    kinds(w.block()));
            NDArray x = m.randomNormal(new Shape(8, 2, 12));
            QatModels.calibrate(w.block(), m, List.of(new NDList(x)));
            NDArray[] ref = TwinErrorBound.propagate(net, w, x);
            assertTrue(forward(w.block(), x).sub(forward(net, x)).abs().max().getFloat() < 0.1f);
            assertEquals(ref[0].getShape(), forward(w.block(), x).getShape());
        }
    }

    @Test
    void parallelBranchesAreConvertedWithTheSameJoin() {
        Block net = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation.reluBlock())
                .add(new ParallelBlock(
                        l -> new NDList(NDArrays.concat(l)),
                        List.of(
                                new SequentialBlock()
                                        .add(Linear.builder().setUnits(4).build()),
                                new SequentialBlock()
                                        .add(Linear.builder().setUnits(3).build())
                                        .add(Activation.reluBlock()))))
                .add(Linear.builder().setUnits(2).build());
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(4, 6));
            for (QuantizationPolicy p : List.of(
                    QuantizationPolicy.hgq().build(),
                    // unconstrained 8-bit: no EP-init projection, so the twin differs by rounding alone
                    QuantizationPolicy.a2q()
                            .setEveryLayer(A2qLayerChoice.unconstrained(8, 8))
                            .build())) {
                WrappedModel w = QatModels.wrap(net, p, m);
                assertEquals(4, w.layers().size(), p.toString());
                assertTrue(
                        w.layers().get(1).path().equals("root/02:ParallelBlock/00:SequentialBlock/00:Linear"),
                        w.layers().get(1).path());
                assertTrue(
                        kinds(w.block()).contains(ParallelBlock.class),
                        kinds(w.block()).toString());
                NDArray x = m.randomNormal(new Shape(16, 6));
                QatModels.calibrate(w.block(), m, List.of(new NDList(x)));
                NDArray got = forward(w.block(), x);
                NDArray want = forward(net, x);
                assertEquals(want.getShape(), got.getShape());
                float err = got.sub(want).abs().max().getFloat();
                float scale = want.abs().max().getFloat();
                assertTrue(
                        err < 0.1f * scale + 1e-3f, p + ": max |twin - float| = " + err + " for max |float| " + scale);
            }
        }
    }

    @Test
    void policiesValidateTheirSettings() {
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> QuantizationPolicy.a2qPlus(1));
        assertTrue(
                p.getMessage().contains("accumulatorBits (P)") && p.getMessage().contains("1"), p.getMessage());
        IllegalArgumentException b = assertThrows(
                IllegalArgumentException.class,
                () -> QuantizationPolicy.hgq().optWeightBits(0).build());
        assertTrue(b.getMessage().contains("weightBits (b0)"), b.getMessage());
        IllegalArgumentException g = assertThrows(
                IllegalArgumentException.class,
                () -> QuantizationPolicy.hgq()
                        .optConvInputGranularity(org.qat4j.hgq.quant.BitGranularity.PER_ELEMENT)
                        .build());
        assertTrue(g.getMessage().contains("convInputGranularity"), g.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> QuantizationPolicy.a2q().build());
    }

    @Test
    void aSavedTwinLoadsIntoAFreshWrapOfTheSameFloatModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Block net = new SequentialBlock()
                .add(Linear.builder().setUnits(6).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(4, 5));
            for (QuantizationPolicy p : List.of(QuantizationPolicy.hgq().build(), QuantizationPolicy.a2qPlus(16))) {
                try (ai.djl.Model saved = ai.djl.Model.newInstance("twin");
                        ai.djl.Model loaded = ai.djl.Model.newInstance("twin")) {
                    NDArray x = m.randomNormal(new Shape(32, 5));
                    WrappedModel a = QatModels.wrap(net, p, saved.getNDManager());
                    saved.setBlock(a.block());
                    QatModels.calibrate(a.block(), m, List.of(new NDList(x)));
                    java.nio.file.Path d = dir.resolve(p.getMethod().name());
                    saved.save(d, "twin");
                    WrappedModel b = QatModels.wrap(net, p, loaded.getNDManager());
                    loaded.setBlock(b.block());
                    loaded.load(d, "twin");
                    NDArray ya = forward(a.block(), x);
                    NDArray yb = forward(b.block(), x);
                    assertTrue(ya.contentEquals(yb), p + ": the reloaded twin differs from the saved one");
                }
            }
        }
    }

    @Test
    void uninitializedModelIsRefused() {
        Block net = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> QatModels.wrap(net, QuantizationPolicy.hgq().build(), m));
            assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
        }
    }

    private static final class NDArrays {
        static NDArray concat(List<NDList> parts) {
            NDList heads = new NDList();
            parts.forEach(p -> heads.add(p.head()));
            return ai.djl.ndarray.NDArrays.concat(heads, 1);
        }
    }
}
