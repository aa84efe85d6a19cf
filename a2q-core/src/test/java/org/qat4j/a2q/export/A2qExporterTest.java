package org.qat4j.a2q.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.core.export.BitExactHarness;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.runtime.assertion.CertificateAssertions;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.SelfCheck;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.prove.CertificateProver;

/** Untrained (freshly initialized, calibrated) A2Q/A2Q+ networks: export, certificate, bit-exact against DJL. */
class A2qExporterTest {

    private static void calibrate(SequentialBlock net, NDManager m, Shape batchShape) {
        // one training-mode forward sets the activation scales from data (ActivationQuantizer calibration)
        net.forward(new ParameterStore(m, false), new ai.djl.ndarray.NDList(m.randomNormal(batchShape)), true);
    }

    @Test
    void mlpExportIsBitExactAndCertified() {
        try (Model model = Model.newInstance("a2q-export")) {
            QIdentity in = QIdentity.signed(8);
            QLinear l1 = QLinear.builder()
                    .setUnits(16)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(8)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(6);
            QLinear l2 = QLinear.builder()
                    .setUnits(5)
                    .setVariant(Variant.A2Q)
                    .setWeightBits(6)
                    .optAccumulatorBits(18)
                    .optInputFrom(r1)
                    .build();
            QReLU r2 = QReLU.of(4);
            QLinear l3 = QLinear.builder()
                    .setUnits(3)
                    .setVariant(Variant.UNCONSTRAINED)
                    .setWeightBits(5)
                    .optInputFrom(r2)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(l1)
                    .add(r1)
                    .add(l2)
                    .add(r2)
                    .add(l3);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 12));
            calibrate(net, m, new Shape(64, 12));
            IntegerModel im = A2qExporter.export(net, new Shape(12), "unit test", 7, Map.of());
            assertEquals("A2Q+", im.provenance().method());
            assertTrue(((DenseOp) im.op("l1_acc")).constraint() != null);
            BitExactHarness h =
                    BitExactHarness.builder().setBlock(net).setModel(im).build();
            BitExactReport r = h.compareGenerated(m, 2000, 2000, 3);
            assertTrue(r.exact(), r.toString());
            CertificateAssertions.assertCertificateHolds(im, CertificateProver.prove(im));
            CertificateAssertions.assertWorstCaseDoesNotWrap(im, "l1_acc");
            // recorded vectors survive the file and pass the self-check
            IntegerModel withVectors = h.withTestVectors(m, r2Inputs(), 50);
            IntegerModel back = ModelReader.fromJson(ModelWriter.toJson(withVectors));
            SelfCheck.Result sc = SelfCheck.run(back, -1, 100, 1);
            assertTrue(sc.passed() && sc.vectorsChecked() == 50, sc.toString());
            assertTrue(CertificateChecker.check(back, CertificateProver.prove(back))
                    .holds());
        }
    }

    private static float[] r2Inputs() {
        float[] x = new float[50 * 12];
        java.util.Random rnd = new java.util.Random(1);
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) rnd.nextGaussian();
        }
        return x;
    }

    @Test
    void convExportIsBitExact() {
        try (Model model = Model.newInstance("a2q-conv")) {
            QIdentity in = QIdentity.signed(8);
            QConv2d c1 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(4)
                    .optPadding(new Shape(1, 1))
                    .optStride(new Shape(2, 1))
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(4);
            QConv2d c2 = QConv2d.builder()
                    .setKernelShape(new Shape(2, 2))
                    .setFilters(3)
                    .optDilation(new Shape(2, 2))
                    .setVariant(Variant.A2Q)
                    .setWeightBits(5)
                    .optAccumulatorBits(14)
                    .optInputFrom(r1)
                    .build();
            QReLU r2 = QReLU.of(4);
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
                    .add(c2)
                    .add(r2)
                    .add(ai.djl.nn.Blocks.batchFlattenBlock())
                    .add(head);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 2, 9, 8));
            calibrate(net, m, new Shape(16, 2, 9, 8));
            IntegerModel im = A2qExporter.export(net, new Shape(2, 9, 8), "unit test", 7, Map.of());
            BitExactReport r =
                    BitExactHarness.builder().setBlock(net).setModel(im).build().compareGenerated(m, 500, 500, 4);
            assertTrue(r.exact(), r.toString());
            CertificateAssertions.assertCertificateHolds(im, CertificateProver.prove(im));
        }
    }

    @Test
    void unsupportedBlocksAreRefusedByName() {
        SequentialBlock net = new SequentialBlock().add(Activation.reluBlock()).add(QIdentity.signed(8));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> A2qExporter.export(net, new Shape(4), "t", 0, Map.of()));
        assertTrue(e.getMessage().contains("block #0"), e.getMessage());
    }
}
