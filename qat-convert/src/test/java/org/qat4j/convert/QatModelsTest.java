package org.qat4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.runtime.assertion.CertificateAssertions;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;

/**
 * Float MLP and CNN trained briefly on synthetic data, wrapped as HGQ and as A2Q+ twins: before any QAT
 * step the twin stays inside the propagated quantization-error bound of {@link TwinErrorBound}; after a
 * QAT epoch the twin exports with a certificate that holds and zero bit-exact mismatches.
 */
class QatModelsTest {

    static final Shape MLP_IN = new Shape(16);

    @org.junit.jupiter.api.BeforeEach
    void seed() {
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
    }

    static final Shape CNN_IN = new Shape(2, 8, 8);

    static Block floatMlp() {
        // nested on purpose: the converter flattens it and still fuses Linear + ReLU
        return new SequentialBlock()
                .add(Linear.builder().setUnits(32).build())
                .add(new SequentialBlock()
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(16).build())
                        .add(Activation.reluBlock()))
                .add(Linear.builder().setUnits(4).build());
    }

    static Block floatCnn() {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setFilters(4)
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    /** Trains the float model, wraps it, checks the pre-QAT bound, runs QAT, exports and verifies. */
    private static double[] roundTrip(
            String name,
            Block floatBlock,
            SyntheticData data,
            QuantizationPolicy policy,
            double allowedDrop,
            int qatEpochs,
            boolean generatedExact)
            throws Exception {
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        try (Model floatModel = Model.newInstance(name + "-float");
                Model qat = Model.newInstance(name + "-qat");
                NDManager m = NDManager.newBaseManager()) {
            floatModel.setBlock(floatBlock);
            data.train(floatModel, 3);
            double floatAcc = data.accuracy(floatBlock, m);

            WrappedModel twin = QatModels.wrap(floatBlock, policy, qat.getNDManager());
            qat.setBlock(twin.block());
            List<NDList> batches = data.batches(m);
            QatModels.calibrate(twin.block(), m, batches);

            // before any QAT step: inside the propagated quantization-error bound, on the calibration batch
            NDArray x0 = batches.get(0).head();
            NDArray[] ref = TwinErrorBound.propagate(floatBlock, twin, x0);
            NDArray got = twin.block()
                    .forward(new ParameterStore(m, false), new NDList(x0), false)
                    .singletonOrThrow();
            NDArray diff = got.sub(ref[0]).abs();
            NDArray allowed = ref[1].mul(1.001f).add(ref[0].abs().add(1f).mul(1e-4f));
            float worstRatio = diff.div(ref[1].add(1e-12f)).max().getFloat();
            assertTrue(
                    diff.lte(allowed).all().getBoolean(),
                    name + ": |twin - float| exceeds the quantization-error" + " bound; worst |diff|/bound = "
                            + worstRatio);
            float meanBound = ref[1].mean().getFloat();
            float meanOut = ref[0].abs().mean().getFloat();
            double wrappedAcc = data.accuracy(twin.block(), m);

            data.train(qat, qatEpochs);
            QatModels.calibrate(twin.block(), m, batches);
            double qatAcc = data.accuracy(twin.block(), m);
            System.out.printf(
                    "%s: float acc %.4f, wrapped before QAT %.4f, after QAT %.4f; mean bound %.4g vs"
                            + " mean |out| %.4g, worst |diff|/bound %.3f%n",
                    name, floatAcc, wrappedAcc, qatAcc, meanBound, meanOut, worstRatio);
            assertTrue(
                    wrappedAcc >= floatAcc - allowedDrop,
                    name + ": wrapped accuracy " + wrappedAcc + " vs float " + floatAcc);
            exportAndVerify(name, twin, data, m, generatedExact);
            return new double[] {floatAcc, wrappedAcc, qatAcc};
        }
    }

    private static void exportAndVerify(
            String name, WrappedModel twin, SyntheticData data, NDManager m, boolean generatedExact) {
        IntegerModel im = twin.method().export(twin.block(), twin.sampleShape(), "converted " + name, 1, Map.of());
        VerifiedExport<List<BitExactReport>> v;
        try {
            v = ExportPipeline.builder()
                    .build()
                    .run(
                            twin.block(),
                            im,
                            m,
                            (h, mm) -> List.of(
                                    h.compareAll(mm, Map.of("dataset", data.x)),
                                    h.compareGenerated(mm, 1000, 1000, 11)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var cert = v.certificate();
        CertificateAssertions.assertCertificateHolds(im, cert);
        assertTrue(v.check().holds(), name + ": certificate check");
        for (ModelOp op : im.ops()) {
            if (op.opType().equals("dense") || op.opType().equals("conv")) {
                CertificateAssertions.assertWorstCaseDoesNotWrap(im, op.name());
            }
        }
        BitExactReport fromData = v.bitExact().get(0);
        BitExactReport generated = v.bitExact().get(1);
        System.out.println(name + " export: " + fromData + generated);
        assertTrue(fromData.exact(), fromData.toString());
        if (generatedExact) {
            assertTrue(generated.exact(), generated.toString());
        }
        assertEquals(data.n + 2000, fromData.samples() + generated.samples());
    }

    @Test
    void hgqMlp() throws Exception {
        SyntheticData data = new SyntheticData(512, MLP_IN, 4, 1);
        Block f = floatMlp();
        double[] acc = roundTrip(
                "HGQ MLP", f, data, QuantizationPolicy.hgq().optBeta(1e-6).build(), 0.02, 1, true);
        assertTrue(acc[2] > 0.7, "HGQ MLP trains: " + acc[2]);
    }

    @Test
    void hgqCnnFusesBatchNormAndReLU() throws Exception {
        SyntheticData data = new SyntheticData(384, CNN_IN, 3, 2);
        Block f = floatCnn();
        try (Model probe = Model.newInstance("structure");
                NDManager m = NDManager.newBaseManager()) {
            probe.setBlock(f);
            data.train(probe, 1);
            WrappedModel w = QatModels.wrap(f, QuantizationPolicy.hgq().build(), m);
            List<Class<?>> kinds = w.block().getChildren().values().stream()
                    .<Class<?>>map(Object::getClass)
                    .toList();
            assertEquals(List.of(HConv2d.class, QatPool.class, QatFlatten.class, HDense.class), kinds);
            HConv2d conv = (HConv2d) w.block().getChildren().get(0).getValue();
            assertTrue(!conv.isFusedBatchNorm() && conv.hasBias(), "BatchNorm folded into the convolution's W and b");
            assertEquals(org.qat4j.hgq.nn.HActivationType.RELU, conv.getActivation());
            for (ConvertedLayer l : w.layers()) {
                double steps = TwinErrorBound.worstWeightErrorInSteps(l, m);
                assertTrue(steps <= 0.5 + 1e-6, l + ": weights not carried over, worst error " + steps + " steps");
            }
        }
        roundTrip("HGQ CNN", floatCnn(), data, QuantizationPolicy.hgq().build(), 0.02, 1, true);
    }

    @Test
    void a2qPlusMlp() throws Exception {
        SyntheticData data = new SyntheticData(512, MLP_IN, 4, 3);
        Block f = floatMlp();
        double[] acc = roundTrip("A2Q+ MLP", f, data, QuantizationPolicy.a2qPlus(16), 0.1, 1, true);
        assertTrue(acc[2] > 0.7, "A2Q+ MLP trains: " + acc[2]);
    }

    @Test
    void a2qPlusCnnKeepsItsAccumulatorBound() throws Exception {
        SyntheticData data = new SyntheticData(384, CNN_IN, 3, 4);
        QuantizationPolicy policy = QuantizationPolicy.a2q()
                .setLayerRule(site -> site.isLast()
                        ? A2qLayerChoice.unconstrained(8, 8)
                        : new A2qLayerChoice(Variant.A2Q_PLUS, 8, 8, 16))
                .build();
        Block f = floatCnn();
        // EP-init projects the conv kernels onto the A2Q+ ball of a 16-bit accumulator: a larger drop before QAT
        // conv → ReLU → max pool → flatten → dense: exported (pool on the ReLU's integers), certified, bit-exact
        double[] acc = roundTrip("A2Q+ CNN", f, data, policy, 0.5, 3, true);
        assertTrue(acc[2] > 0.8, "A2Q+ CNN recovers with QAT: " + acc[2]);
    }

    /** A float residual MLP written for export: a ParallelBlock that gathers its branches, then QatAdd. */
    static Block floatResidualMlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(24).build())
                .add(Activation.reluBlock())
                .add(new ai.djl.nn.ParallelBlock(
                        l -> {
                            NDList o = new NDList();
                            l.forEach(o::addAll);
                            return o;
                        },
                        List.of(
                                new SequentialBlock()
                                        .add(Linear.builder().setUnits(24).build())
                                        .add(Activation.reluBlock())
                                        .add(Linear.builder().setUnits(24).build()),
                                Blocks.identityBlock())))
                .add(new org.qat4j.core.nn.QatAdd())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(4).build());
    }

    /** Float residual MLP → twin (HGQ, A2Q+) → QAT epoch → export → certificate → checker → bit-exact. */
    private static void residualRoundTrip(String name, QuantizationPolicy policy, long seed) throws Exception {
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        SyntheticData data = new SyntheticData(384, MLP_IN, 4, seed);
        Block floatBlock = floatResidualMlp();
        try (Model floatModel = Model.newInstance(name + "-float");
                Model qat = Model.newInstance(name + "-qat");
                NDManager m = NDManager.newBaseManager()) {
            floatModel.setBlock(floatBlock);
            data.train(floatModel, 2);
            WrappedModel twin = QatModels.wrap(floatBlock, policy, qat.getNDManager());
            assertTrue(
                    twin.block().getChildren().values().stream().anyMatch(b -> b instanceof org.qat4j.core.nn.QatAdd),
                    "the twin keeps the residual join");
            qat.setBlock(twin.block());
            List<NDList> batches = data.batches(m);
            QatModels.calibrate(twin.block(), m, batches);
            data.train(qat, 1);
            QatModels.calibrate(twin.block(), m, batches);
            exportAndVerify(name, twin, data, m, true);
        }
    }

    @Test
    void hgqResidualMlpExports() throws Exception {
        residualRoundTrip(
                "HGQ residual MLP", QuantizationPolicy.hgq().optBeta(1e-6).build(), 5);
    }

    @Test
    void a2qPlusResidualMlpExports() throws Exception {
        residualRoundTrip("A2Q+ residual MLP", QuantizationPolicy.a2qPlus(16), 6);
    }

    @Test
    void unknownBlockIsRefusedWithItsPath() {
        Block net = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(new SequentialBlock().add(Activation.reluBlock()).add(new MyBlock()));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            UnsupportedBlockException e = assertThrows(
                    UnsupportedBlockException.class,
                    () -> QatModels.wrap(net, QuantizationPolicy.hgq().build(), m));
            assertEquals("root/01:SequentialBlock/01:MyBlock", e.getPath());
            assertTrue(
                    e.getMessage().startsWith("root/01:SequentialBlock/01:MyBlock: block " + MyBlock.class.getName()),
                    e.getMessage());
        }
    }

    @Test
    void lambdaNamedReluThatIsNotReluIsRefused() {
        Block net = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(new LambdaBlock(l -> new NDList(l.head().neg()), "ReLU"));
        Block anonymous = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(new LambdaBlock(l -> new NDList(Activation.relu(l.head()))));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            anonymous.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            UnsupportedBlockException e = assertThrows(
                    UnsupportedBlockException.class,
                    () -> QatModels.wrap(net, QuantizationPolicy.hgq().build(), m));
            assertTrue(
                    e.getMessage().contains("root/01:LambdaBlock[ReLU]")
                            && e.getMessage().contains("max(x, 0)"),
                    e.getMessage());
            UnsupportedBlockException a = assertThrows(
                    UnsupportedBlockException.class,
                    () -> QatModels.wrap(anonymous, QuantizationPolicy.hgq().build(), m));
            assertTrue(a.getMessage().contains("root/01:LambdaBlock[anonymous]"), a.getMessage());
        }
    }

    @Test
    void loneBatchNormIsRefused() {
        Block net = new SequentialBlock()
                .add(Activation.reluBlock())
                .add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(2).build());
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3));
            UnsupportedBlockException e = assertThrows(
                    UnsupportedBlockException.class, () -> QatModels.wrap(net, QuantizationPolicy.a2qPlus(16), m));
            assertEquals("root/01:BatchNorm", e.getPath());
        }
    }

    /** A block the converter cannot know. */
    static final class MyBlock extends AbstractBlock {
        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
