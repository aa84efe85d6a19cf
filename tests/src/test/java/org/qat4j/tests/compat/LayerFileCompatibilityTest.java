package org.qat4j.tests.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.nn.QConv1d;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.ebops.EbopsReport;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HConv1d;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Parameter files written by the layers before they moved onto the common template
 * ({@code core.nn.AbstractQuantizedLayer}; main at da1c273) still load, save back byte for byte, and
 * give the same evaluation outputs (float bit patterns) and, for HGQ, the same exact EBOPs. The
 * resources were written by this class at da1c273 with {@code -Dqat.compat.write=DIR}.
 */
class LayerFileCompatibilityTest {

    private record Net(String name, Supplier<SequentialBlock> block, Shape input, boolean hgq) {}

    private static List<Net> nets() {
        return List.of(
                new Net("hgq-cnn2d", LayerFileCompatibilityTest::hgqCnn2d, new Shape(4, 2, 6, 6), true),
                new Net("hgq-cnn1d", LayerFileCompatibilityTest::hgqCnn1d, new Shape(4, 3, 9), true),
                new Net("a2q-cnn2d", LayerFileCompatibilityTest::a2qCnn2d, new Shape(4, 2, 6, 6), false),
                new Net("a2q-cnn1d", LayerFileCompatibilityTest::a2qCnn1d, new Shape(4, 3, 9), false));
    }

    /** HConv2d with fused batch norm and ReLU → flatten → HDense with fused BN → HDense without bias. */
    private static SequentialBlock hgqCnn2d() {
        return new SequentialBlock()
                .add(HConv2d.builder()
                        .setFilters(3)
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optFusedBatchNorm(true)
                        .optActivation(HActivationType.RELU)
                        .optBeta(1e-6)
                        .build())
                .add(new QatFlatten())
                .add(HDense.builder()
                        .setUnits(5)
                        .optFusedBatchNorm(true)
                        .optBatchNormMomentum(0.8f)
                        .optActivation(HActivationType.RELU)
                        .build())
                .add(HDense.builder().setUnits(2).optBias(false).build());
    }

    /** HConv1d (stride 2, dilation 2) → flatten → HDense. */
    private static SequentialBlock hgqCnn1d() {
        return new SequentialBlock()
                .add(HConv1d.builder()
                        .setFilters(2)
                        .setKernelShape(new Shape(3))
                        .optStride(new Shape(2))
                        .optDilation(new Shape(2))
                        .build())
                .add(new QatFlatten())
                .add(HDense.builder().setUnits(3).build());
    }

    /** QIdentity → QConv2d (A2Q+) → QReLU → flatten → QLinear (A2Q) → QReLU → QLinear (unconstrained). */
    private static SequentialBlock a2qCnn2d() {
        QIdentity in = QIdentity.signed(8);
        QConv2d c1 = QConv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(4)
                .optPadding(new Shape(1, 1))
                .setVariant(Variant.A2Q_PLUS)
                .setWeightBits(6)
                .optAccumulatorBits(16)
                .optInputFrom(in)
                .build();
        QReLU r1 = QReLU.of(5);
        QLinear d1 = QLinear.builder()
                .setUnits(6)
                .setVariant(Variant.A2Q)
                .setWeightBits(6)
                .optAccumulatorBits(18)
                .optInputFrom(r1)
                .build();
        QReLU r2 = QReLU.of(6);
        QLinear head = QLinear.builder()
                .setUnits(2)
                .setVariant(Variant.UNCONSTRAINED)
                .setWeightBits(8)
                .optInputFrom(r2)
                .build();
        return new SequentialBlock()
                .add(in)
                .add(c1)
                .add(r1)
                .add(new QatFlatten())
                .add(d1)
                .add(r2)
                .add(head);
    }

    /** QConv1d with an owned input quantizer and 3 groups (A2Q) → flatten → QLinear without bias. */
    private static SequentialBlock a2qCnn1d() {
        QConv1d c1 = QConv1d.builder()
                .setKernelShape(new Shape(3))
                .setFilters(3)
                .optGroups(3)
                .optStride(new Shape(2))
                .setVariant(Variant.A2Q)
                .setWeightBits(5)
                .optAccumulatorBits(15)
                .optInputQuantizer(ActivationQuantizer.builder().setBits(8).build())
                .build();
        QReLU r1 = QReLU.of(4);
        QLinear head = QLinear.builder()
                .setUnits(2)
                .setVariant(Variant.UNCONSTRAINED)
                .setWeightBits(8)
                .optInputFrom(r1)
                .optBias(false)
                .build();
        return new SequentialBlock().add(c1).add(r1).add(new QatFlatten()).add(head);
    }

    /** A deterministic input with positive and negative values of several magnitudes. */
    private static NDArray input(NDManager m, Shape shape) {
        return m.arange(0f, (float) shape.size())
                .reshape(shape)
                .mul(0.37f)
                .sin()
                .mul(3f);
    }

    private static byte[] save(SequentialBlock net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            net.saveParameters(os);
        }
        return bytes.toByteArray();
    }

    /** Output float bits of the evaluation forward, then (HGQ) the exact EBOPs. */
    private static byte[] outputs(SequentialBlock net, NDManager m, Net n) throws IOException {
        float[] y = net.forward(new ParameterStore(m, false), new NDList(input(m, n.input())), false)
                .head()
                .toFloatArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            os.writeInt(y.length);
            for (float v : y) {
                os.writeInt(Float.floatToRawIntBits(v));
            }
            if (n.hgq()) {
                os.writeLong(EbopsReport.of(net).total());
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LayerFileCompatibilityTest.class.getResourceAsStream("/compat/" + name)) {
            assertNotNull(in, "missing test resource compat/" + name);
            return in.readAllBytes();
        }
    }

    @Test
    void filesOfTheLayersBeforeTheTemplateLoadAndSaveBackIdentically() throws Exception {
        String write = System.getProperty("qat.compat.write");
        if (write != null) {
            writeGolden(Path.of(write));
            return;
        }
        for (Net n : nets()) {
            byte[] params = resource(n.name() + ".params");
            try (NDManager m = NDManager.newBaseManager()) {
                SequentialBlock net = n.block().get();
                net.initialize(m, DataType.FLOAT32, n.input());
                net.loadParameters(m, new DataInputStream(new ByteArrayInputStream(params)));
                assertArrayEquals(params, save(net), n.name() + ": parameter file saved back differs");
                assertArrayEquals(
                        resource(n.name() + ".out"),
                        outputs(net, m, n),
                        n.name() + ": evaluation outputs or exact EBOPs differ");
            }
        }
    }

    /** Writes each net's parameters (after one calibration pass) and outputs into {@code dir}. */
    private static void writeGolden(Path dir) throws IOException {
        Files.createDirectories(dir);
        Engine.getInstance().setRandomSeed(12);
        for (Net n : nets()) {
            try (NDManager m = NDManager.newBaseManager()) {
                SequentialBlock net = n.block().get();
                net.initialize(m, DataType.FLOAT32, n.input());
                NDArray x = input(m, n.input());
                if (n.hgq()) {
                    net.forward(new ParameterStore(m, false), new NDList(x), true);
                    HgqCalibration.traceMinMax(net, m, List.of(new NDList(x)));
                } else {
                    net.forward(new ParameterStore(m, false), new NDList(x), true);
                }
                Files.write(dir.resolve(n.name() + ".params"), save(net));
                Files.write(dir.resolve(n.name() + ".out"), outputs(net, m, n));
                assertEquals(save(net).length, Files.size(dir.resolve(n.name() + ".params")));
            }
        }
    }
}
