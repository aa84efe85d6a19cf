package org.qat4j.a2q.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.nn.QConv1d;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.export.BitExactHarness;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.runtime.assertion.CertificateAssertions;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * A2Q/A2Q+ CNNs with max pooling (the export pools the integers) or average pooling (the export repeats
 * the float32 average) and flatten between the layers: DJL and the runtime agree bit for bit on the
 * generated inputs (10,000 for each average-pooled network), and the certificate holds.
 */
class A2qPooledCnnExportTest {

    private static void calibrate(SequentialBlock net, NDManager m, Shape batchShape) {
        net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(batchShape)), true);
    }

    /** conv → QReLU → maxpool → conv → QReLU → maxpool (stride 1×2) → flatten → dense → QReLU → dense. */
    @Test
    void pooledA2qPlusCnnIsBitExactAndCertified() {
        try (Model model = Model.newInstance("a2q-pool")) {
            QIdentity in = QIdentity.signed(8);
            QConv2d c1 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(6)
                    .optPadding(new Shape(1, 1))
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(5);
            QConv2d c2 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(8)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(r1)
                    .build();
            QReLU r2 = QReLU.of(5);
            QLinear d1 = QLinear.builder()
                    .setUnits(16)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(r2)
                    .build();
            QReLU r3 = QReLU.of(6);
            QLinear head = QLinear.builder()
                    .setUnits(4)
                    .setVariant(Variant.UNCONSTRAINED)
                    .setWeightBits(8)
                    .optInputFrom(r3)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(c1)
                    .add(r1)
                    .add(QatPool.max(new Shape(2, 2)))
                    .add(c2)
                    .add(r2)
                    .add(QatPool.max(new Shape(2, 2), new Shape(1, 2), null))
                    .add(new QatFlatten())
                    .add(d1)
                    .add(r3)
                    .add(head);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            calibrate(net, m, new Shape(32, 1, 12, 12));
            IntegerModel im = A2qExporter.export(net, new Shape(1, 12, 12), "unit test", 7, Map.of());
            assertEquals("A2Q+", im.provenance().method());
            List<String> kinds = im.ops().stream().map(ModelOp::opType).toList();
            assertEquals(2, kinds.stream().filter("maxpool"::equals).count(), kinds.toString());
            assertEquals(
                    List.of(8, 3, 2),
                    java.util.Arrays.stream(im.tensor("l6_pool").shape())
                            .boxed()
                            .toList());
            BitExactReport r =
                    BitExactHarness.builder().setBlock(net).setModel(im).build().compareGenerated(m, 2000, 2000, 5);
            System.out.println("A2Q+ pooled CNN: " + r);
            assertEquals(4000, r.samples());
            assertTrue(r.exact(), r.toString());
            var cert = CertificateProver.prove(im);
            CertificateAssertions.assertCertificateHolds(im, cert);
            IntegerModel back = ModelReader.fromJson(ModelWriter.toJson(im));
            assertTrue(CertificateChecker.check(back, cert).holds());
            for (String acc : List.of("l1_acc", "l4_acc", "l8_acc")) {
                CertificateAssertions.assertWorstCaseDoesNotWrap(im, acc);
            }
        }
    }

    /**
     * Max pools on float values (the raw input; a conv's dequantized output) followed by a quantizing block:
     * exported as quantize-then-pool, which is the same because the quantizer is monotone.
     */
    @Test
    void floatMaxPoolBeforeAQuantizerIsExportedAfterIt() {
        try (Model model = Model.newInstance("a2q-pool-float")) {
            QIdentity in = QIdentity.signed(8);
            QConv2d c1 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(4)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            ActivationQuantizer owned =
                    ActivationQuantizer.builder().setBits(6).optSigned(true).build();
            QConv2d c2 = QConv2d.builder()
                    .setKernelShape(new Shape(2, 2))
                    .setFilters(3)
                    .setVariant(Variant.A2Q)
                    .setWeightBits(5)
                    .optAccumulatorBits(15)
                    .optInputQuantizer(owned)
                    .build();
            QReLU r2 = QReLU.of(4);
            QLinear head = QLinear.builder()
                    .setUnits(3)
                    .setVariant(Variant.UNCONSTRAINED)
                    .setWeightBits(8)
                    .optInputFrom(r2)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(QatPool.max(new Shape(2, 2), new Shape(1, 1), null))
                    .add(in)
                    .add(c1)
                    .add(QatPool.max(new Shape(2, 2)))
                    .add(QatPool.max(new Shape(1, 2)))
                    .add(c2)
                    .add(r2)
                    .add(ai.djl.nn.Blocks.batchFlattenBlock())
                    .add(head);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 2, 13, 17));
            calibrate(net, m, new Shape(32, 2, 13, 17));
            IntegerModel im = A2qExporter.export(net, new Shape(2, 13, 17), "unit test", 7, Map.of());
            List<String> kinds = im.ops().stream().map(ModelOp::opType).toList();
            assertEquals(
                    List.of(
                            "quantize_scaled",
                            "maxpool",
                            "conv2d",
                            "dequantize_scaled",
                            "quantize_scaled",
                            "maxpool",
                            "maxpool",
                            "conv2d",
                            "dequantize_scaled",
                            "quantize_scaled",
                            "flatten",
                            "dense",
                            "dequantize_scaled"),
                    kinds);
            BitExactReport r =
                    BitExactHarness.builder().setBlock(net).setModel(im).build().compareGenerated(m, 1000, 1000, 6);
            System.out.println("A2Q+ CNN, float pools hoisted: " + r);
            assertTrue(r.exact(), r.toString());
            CertificateAssertions.assertCertificateHolds(im, CertificateProver.prove(im));
        }
    }

    /**
     * Average pools on a QReLU's float products q·s (2×2 window) and on a conv's dequantized output (1×2
     * window, stride 1, overlapping); each is followed by a quantizing block. The export
     * repeats the float32 products and PyTorch's float32 average; 10,000 inputs, 0 mismatches.
     */
    @Test
    void averagePooledA2qCnnIsBitExactAndCertified() {
        try (Model model = Model.newInstance("a2q-avg")) {
            QIdentity in = QIdentity.signed(8);
            QConv2d c1 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(6)
                    .optPadding(new Shape(1, 1))
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(5);
            ActivationQuantizer owned =
                    ActivationQuantizer.builder().setBits(6).optSigned(false).build();
            QConv2d c2 = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(4)
                    .setVariant(Variant.A2Q)
                    .setWeightBits(5)
                    .optAccumulatorBits(15)
                    .optInputQuantizer(owned)
                    .build();
            QIdentity q3 = QIdentity.signed(6);
            QLinear head = QLinear.builder()
                    .setUnits(3)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(18)
                    .optInputFrom(q3)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(c1)
                    .add(r1)
                    .add(QatPool.avg(new Shape(2, 2)))
                    .add(c2)
                    .add(QatPool.avg(new Shape(1, 2), new Shape(1, 1), null))
                    .add(q3)
                    .add(new QatFlatten())
                    .add(head);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            calibrate(net, m, new Shape(32, 1, 12, 12));
            IntegerModel im = A2qExporter.export(net, new Shape(1, 12, 12), "unit test", 7, Map.of());
            List<String> kinds = im.ops().stream().map(ModelOp::opType).toList();
            assertEquals(
                    List.of(
                            "quantize_scaled",
                            "conv2d",
                            "dequantize_scaled",
                            "quantize_scaled",
                            "dequantize_scaled",
                            "avgpool_float",
                            "quantize_scaled",
                            "conv2d",
                            "dequantize_scaled",
                            "avgpool_float",
                            "quantize_scaled",
                            "flatten",
                            "dense",
                            "dequantize_scaled"),
                    kinds);
            BitExactReport r =
                    BitExactHarness.builder().setBlock(net).setModel(im).build().compareGenerated(m, 5000, 5000, 12);
            assertEquals(10_000, r.samples());
            assertEquals(0, r.mismatches(), r.toString());
            var cert = CertificateProver.prove(im);
            CertificateAssertions.assertCertificateHolds(im, cert);
            IntegerModel back = ModelReader.fromJson(ModelWriter.toJson(im));
            assertTrue(CertificateChecker.check(back, cert).holds());
        }
    }

    /** in → conv1d → average pool (window 2, on the conv's dequantized floats) → quantizer → flatten → dense. */
    @Test
    void averagePoolOneDimensionalIsBitExact() {
        try (Model model = Model.newInstance("a2q-avg1d")) {
            QIdentity in = QIdentity.signed(8);
            QConv1d c1 = QConv1d.builder()
                    .setKernelShape(new Shape(3))
                    .setFilters(3)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(16)
                    .optInputFrom(in)
                    .build();
            QIdentity q2 = QIdentity.signed(6);
            QLinear head = QLinear.builder()
                    .setUnits(2)
                    .setVariant(Variant.A2Q)
                    .setWeightBits(6)
                    .optAccumulatorBits(17)
                    .optInputFrom(q2)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(c1)
                    .add(QatPool.avg(new Shape(2)))
                    .add(q2)
                    .add(new QatFlatten())
                    .add(head);
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 2, 20));
            calibrate(net, m, new Shape(32, 2, 20));
            IntegerModel im = A2qExporter.export(net, new Shape(2, 20), "unit test", 7, Map.of());
            assertTrue(im.ops().stream().map(ModelOp::opType).toList().contains("avgpool_float"));
            BitExactReport r =
                    BitExactHarness.builder().setBlock(net).setModel(im).build().compareGenerated(m, 5000, 5000, 13);
            assertEquals(10_000, r.samples());
            assertEquals(0, r.mismatches(), r.toString());
            CertificateAssertions.assertCertificateHolds(im, CertificateProver.prove(im));
        }
    }

    @Test
    void paddingAndUnquantizedPoolsAreRefusedWithTheReason() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock avg = net(m, QatPool.avg(new Shape(2)), false);
            var e = assertThrows(
                    IllegalArgumentException.class, () -> A2qExporter.export(avg, new Shape(1, 8), "t", 0, Map.of()));
            assertTrue(
                    e.getMessage().contains("block #3") && e.getMessage().contains("quantized input"), e.getMessage());
            SequentialBlock padded = net(m, QatPool.max(new Shape(2), new Shape(2), new Shape(1)), false);
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> A2qExporter.export(padded, new Shape(1, 8), "t", 0, Map.of()));
            assertTrue(e.getMessage().contains("block #1") && e.getMessage().contains("pads by (1)"), e.getMessage());
            SequentialBlock floatPool = net(m, QatPool.max(new Shape(2)), true);
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> A2qExporter.export(floatPool, new Shape(1, 8), "t", 0, Map.of()));
            assertTrue(
                    e.getMessage().contains("block #2") && e.getMessage().contains("end of network"), e.getMessage());
        }
    }

    /** in → pool → flatten → dense, or (poolLast) in → conv1d → pool; input (1, 8). */
    private static SequentialBlock net(NDManager m, QatPool pool, boolean poolLast) {
        QIdentity in = QIdentity.signed(8);
        SequentialBlock net = new SequentialBlock().add(in);
        if (poolLast) {
            net.add(QConv1d.builder()
                            .setKernelShape(new Shape(3))
                            .setFilters(2)
                            .setVariant(Variant.A2Q_PLUS)
                            .setWeightBits(6)
                            .optAccumulatorBits(16)
                            .optInputFrom(in)
                            .build())
                    .add(pool);
        } else {
            net.add(pool)
                    .add(new QatFlatten())
                    .add(QLinear.builder()
                            .setUnits(2)
                            .setVariant(Variant.A2Q_PLUS)
                            .setWeightBits(6)
                            .optAccumulatorBits(16)
                            .optInputFrom(in)
                            .build());
        }
        net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8));
        return net;
    }
}
