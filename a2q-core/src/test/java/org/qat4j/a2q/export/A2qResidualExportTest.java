package org.qat4j.a2q.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.core.export.BitExactCheck;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.IntegerModel;

/**
 * A2Q/A2Q+ residual blocks ({@code ParallelBlock} gathering its branches, then {@code QatAdd}):
 * export → written and read back → prover → independent checker → DJL forward against the integer
 * runtime bit for bit, through {@link ExportPipeline}.
 */
class A2qResidualExportTest {

    private static NDList gather(List<NDList> branches) {
        NDList out = new NDList();
        branches.forEach(out::addAll);
        return out;
    }

    private static VerifiedExport<BitExactReport> exportAndVerify(
            SequentialBlock net, Shape sample, NDManager m, long seed) throws java.io.IOException {
        // one training-mode forward sets the activation scales from data (ActivationQuantizer calibration)
        net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(32).addAll(sample))), true);
        IntegerModel im = A2qExporter.export(net, sample, "unit test", seed, Map.of());
        assertTrue(
                im.ops().stream().anyMatch(op -> op instanceof FloatAddOp),
                im.ops().toString());
        float[] vectors = m.randomNormal(new Shape(20).addAll(sample)).toFloatArray();
        return ExportPipeline.builder()
                .optTestVectors(vectors, 20)
                .build()
                .run(net, im, m, BitExactCheck.generated(2000, 2000, seed));
    }

    @Test
    void mlpWithIdentitySkipIsCertifiedAndBitExact() throws Exception {
        try (Model model = Model.newInstance("a2q-residual")) {
            QIdentity in = QIdentity.signed(8);
            QLinear l1 = QLinear.builder()
                    .setUnits(16)
                    .setVariant(Variant.A2Q)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(6);
            QLinear inner = QLinear.builder()
                    .setUnits(16)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(r1)
                    .build();
            QReLU r2 = QReLU.of(6);
            QLinear head = QLinear.builder()
                    .setUnits(4)
                    .setVariant(Variant.UNCONSTRAINED)
                    .setWeightBits(8)
                    .optInputFrom(r2)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(l1)
                    .add(r1)
                    .add(new ParallelBlock(
                            A2qResidualExportTest::gather,
                            List.of(new SequentialBlock().add(inner), Blocks.identityBlock())))
                    .add(new QatAdd())
                    .add(r2)
                    .add(head);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 12));
            VerifiedExport<BitExactReport> v = exportAndVerify(net, new Shape(12), m, 5);
            assertTrue(v.certified(), v.check().toString());
            assertTrue(v.bitExact().exact(), v.bitExact().toString());
            assertEquals(0, v.bitExact().mismatches());
            assertEquals(20, v.model().testVectors().count());
            assertEquals("A2Q+", v.model().provenance().method());
        }
    }

    @Test
    void cnnWithThreeBranchesIsCertifiedAndBitExact() throws Exception {
        try (Model model = Model.newInstance("a2q-residual-cnn")) {
            QIdentity in = QIdentity.signed(8);
            QConv2d c1 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(4)
                    .optPadding(new Shape(1, 1))
                    .setVariant(Variant.A2Q)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(5);
            QConv2d c2 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(4)
                    .optPadding(new Shape(1, 1))
                    .setVariant(Variant.A2Q)
                    .setWeightBits(5)
                    .optAccumulatorBits(15)
                    .optInputFrom(r1)
                    .build();
            QConv2d c3 = QConv2d.builder()
                    .setKernelShape(new Shape(1, 1))
                    .setFilters(4)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(5)
                    .optAccumulatorBits(14)
                    .optInputFrom(r1)
                    .build();
            QReLU r2 = QReLU.of(5);
            QLinear head = QLinear.builder()
                    .setUnits(3)
                    .setVariant(Variant.UNCONSTRAINED)
                    .setWeightBits(8)
                    .optInputFrom(r2)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(c1)
                    .add(r1)
                    .add(new ParallelBlock(A2qResidualExportTest::gather, List.of(c2, Blocks.identityBlock(), c3)))
                    .add(new QatAdd())
                    .add(r2)
                    .add(Blocks.batchFlattenBlock())
                    .add(head);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 5));
            VerifiedExport<BitExactReport> v = exportAndVerify(net, new Shape(2, 6, 5), m, 6);
            assertTrue(v.certified(), v.check().toString());
            assertTrue(v.bitExact().exact(), v.bitExact().toString());
            assertEquals(
                    2,
                    v.model().ops().stream()
                            .filter(op -> op instanceof FloatAddOp)
                            .count());
        }
    }

    @Test
    void forkWithoutQatAddIsRefused() {
        QIdentity in = QIdentity.signed(8);
        QLinear l1 = QLinear.builder()
                .setUnits(4)
                .setVariant(Variant.A2Q)
                .setWeightBits(6)
                .optAccumulatorBits(16)
                .optInputFrom(in)
                .build();
        SequentialBlock net = new SequentialBlock()
                .add(in)
                .add(l1)
                .add(new ParallelBlock(
                        A2qResidualExportTest::gather, List.of(Blocks.identityBlock(), Blocks.identityBlock())));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 4));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> A2qExporter.export(net, new Shape(4), "t", 1, Map.of()));
            assertTrue(e.getMessage().contains("block #2") && e.getMessage().contains("QatAdd"), e.getMessage());
        }
    }
}
