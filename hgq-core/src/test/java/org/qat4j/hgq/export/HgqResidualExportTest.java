package org.qat4j.hgq.export;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qat4j.core.export.BitExactHarness;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.Float64Parameters;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HAdd;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.runtime.assertion.CertificateAssertions;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * HGQ residual blocks ({@code ParallelBlock} gathering its branches, then {@code HAdd}) trained
 * briefly, calibrated and exported: the integer model aligns both branches exactly and adds them,
 * the certificate covers the adders, and 10,000 inputs (random and adversarial) give 0 mismatches.
 */
class HgqResidualExportTest {

    private static NDList gather(List<NDList> branches) {
        NDList out = new NDList();
        branches.forEach(out::addAll);
        return out;
    }

    private static SequentialBlock residualMlp(HgqQuantizerConfig addQuantizer) {
        return new SequentialBlock()
                .add(HDense.builder()
                        .setUnits(12)
                        .optActivation(HActivationType.RELU)
                        .build())
                .add(new ParallelBlock(
                        HgqResidualExportTest::gather,
                        List.of(
                                new SequentialBlock()
                                        .add(HDense.builder()
                                                .setUnits(10)
                                                .optActivation(HActivationType.RELU)
                                                .build())
                                        .add(HDense.builder().setUnits(12).build()),
                                Blocks.identityBlock())))
                .add(new HAdd(addQuantizer))
                .add(HDense.builder().setUnits(4).build());
    }

    @Test
    void residualWithQuantizedSumIsBitExactAndCertified() throws Exception {
        exportAndCompare(residualMlp(HgqQuantizerConfig.activations().build()), true);
    }

    @Test
    void residualWithoutSumQuantizerIsBitExactAndCertified() throws Exception {
        exportAndCompare(residualMlp(null), false);
    }

    private static void exportAndCompare(SequentialBlock net, boolean sumQuantized) throws Exception {
        try (Model model = Model.newInstance("hgq-residual");
                NDManager m = NDManager.newBaseManager()) {
            IntegerModel im = HgqExporterTest.trainAndExport(model, net, new int[] {16}, 4, m);
            long adds =
                    im.ops().stream().filter(op -> op.opType().equals("add")).count();
            assertEquals(1, adds, "one adder for two branches");
            OverflowCertificate cert = CertificateProver.prove(im);
            CertificateAssertions.assertCertificateHolds(im, cert);
            assertTrue(
                    cert.layers().stream().map(LayerCertificate::op).anyMatch("add"::equals),
                    "the certificate covers the adder");
            for (ModelOp op : im.ops()) {
                if (op.name().contains("_align")) {
                    assertEquals("requantize_fixed", op.opType());
                }
            }
            DataType type = BitExactHarness.requiredForwardType(im);
            if (type == DataType.FLOAT64) {
                Float64Parameters.cast(net);
            }
            BitExactReport r = BitExactHarness.builder()
                    .setBlock(net)
                    .setModel(im)
                    .optForwardType(type)
                    .build()
                    .compareGenerated(m, 5000, 5000, 11);
            assertTrue(r.exact(), r.toString());
            assertEquals(10_000, r.samples());
            assertEquals(0, r.mismatches());
            assertEquals(
                    sumQuantized,
                    im.ops().stream()
                            .anyMatch(op -> op.name().endsWith("_quant")
                                    && op.inputs().get(0).contains("_add")));
        }
    }

    @Test
    void joinsThatDoNotGatherAreRefused() {
        SequentialBlock net = new SequentialBlock()
                .add(HDense.builder().setUnits(4).build())
                .add(new ParallelBlock(l -> l.get(0), List.of(Blocks.identityBlock(), Blocks.identityBlock())))
                .add(new HAdd(null));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 4));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> HgqExporter.export(net, new Shape(4), "t", 1, Map.of()));
            assertTrue(e.getMessage().contains("join"), e.getMessage());
        }
        SequentialBlock noAdd = new SequentialBlock()
                .add(HDense.builder().setUnits(4).build())
                .add(new ParallelBlock(
                        HgqResidualExportTest::gather, List.of(Blocks.identityBlock(), Blocks.identityBlock())));
        try (NDManager m = NDManager.newBaseManager()) {
            noAdd.initialize(m, DataType.FLOAT32, new Shape(2, 4));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> HgqExporter.export(noAdd, new Shape(4), "t", 1, Map.of()));
            assertTrue(e.getMessage().contains("HAdd"), e.getMessage());
        }
    }
}
