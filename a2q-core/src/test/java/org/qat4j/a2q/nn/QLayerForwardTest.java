package org.qat4j.a2q.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.bound.ChannelSums;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * The blocks compute the documented integer-then-scale order exactly: a plain-Java replica (long accumulators, then
 * {@code (float) acc * (s_x * s_c) + b} in float32) matches every output bit for bit.
 */
class QLayerForwardTest {

    static float[] randomInput(Random rnd, int n, double spread) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * spread);
        }
        return x;
    }

    static int[] inputIntegers(float[] x, float sx, ActivationQuantizer q) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = Math.rint(x[i] / sx); // float32 division, half-even rounding: the quantizer's order
            r[i] = (int) Math.max(q.minInt(), Math.min(q.maxInt(), v));
        }
        return r;
    }

    @Test
    void qLinearForwardIsIntegerThenScaleBitForBit() {
        for (Variant variant : Variant.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                ActivationQuantizer iq = ActivationQuantizer.builder()
                        .setBits(6)
                        .optSigned(true)
                        .optInitialScale(0.05f)
                        .optCalibrationSteps(0)
                        .build();
                QLinear layer = QLinear.builder()
                        .setUnits(7)
                        .setVariant(variant)
                        .setWeightBits(5)
                        .optAccumulatorBits(12)
                        .optInputQuantizer(iq)
                        .build();
                layer.initialize(m, DataType.FLOAT32, new Shape(3, 40));
                Random rnd = new Random(variant.ordinal());
                // random non-zero bias, set through the parameter
                layer.getBiasParameter().getArray().set(randomInput(rnd, 7, 0.3));
                float[] x = randomInput(rnd, 3 * 40, 1.0);
                NDArray out = layer.forward(
                                new ParameterStore(m, false), new NDList(m.create(x, new Shape(3, 40))), false)
                        .head();
                float[] got = out.toFloatArray();
                QuantizedWeights qw = layer.quantizedWeights();
                float sx = layer.getInputScale();
                int[] xi = inputIntegers(x, sx, iq);
                float[] b = layer.getBias();
                for (int row = 0; row < 3; row++) {
                    for (int c = 0; c < 7; c++) {
                        long acc = 0;
                        for (int i = 0; i < 40; i++) {
                            acc += qw.intWeights()[c][i] * xi[row * 40 + i];
                        }
                        float expected = (float) acc * (sx * qw.scale()[c]) + b[c];
                        assertEquals(
                                Float.floatToRawIntBits(expected),
                                Float.floatToRawIntBits(got[row * 7 + c]),
                                variant + " row " + row + " channel " + c + ": " + expected + " vs "
                                        + got[row * 7 + c]);
                    }
                }
                if (variant.isConstrained()) {
                    assertBoundsHold(qw);
                }
            }
        }
    }

    @Test
    void qConv2dForwardIsIntegerThenScaleBitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            QReLU relu = QReLU.of(4);
            QConv2d conv = QConv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(5)
                    .optPadding(new Shape(1, 1))
                    .optStride(new Shape(2, 1))
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(14)
                    .optInputFrom(relu)
                    .build();
            SequentialBlock net = new SequentialBlock().add(relu).add(conv);
            Shape inShape = new Shape(2, 3, 6, 5);
            net.initialize(m, DataType.FLOAT32, inShape);
            Random rnd = new Random(7);
            float[] x = randomInput(rnd, (int) inShape.size(), 1.0);
            // calibrate the ReLU's scale with one training forward, then evaluate
            net.forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), true);
            float[] got = net.forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), false)
                    .head()
                    .toFloatArray();
            float sx = relu.getQuantizer().scaleValue();
            float[] r = x.clone();
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.max(r[i], 0f);
            }
            int[] xi = inputIntegers(r, sx, relu.getQuantizer());
            QuantizedWeights qw = conv.quantizedWeights();
            float[] b = conv.getBias();
            Shape outShape = conv.getOutputShapes(new Shape[] {inShape})[0];
            int oh = (int) outShape.get(2);
            int ow = (int) outShape.get(3);
            int idx = 0;
            for (int n = 0; n < 2; n++) {
                for (int f = 0; f < 5; f++) {
                    for (int y = 0; y < oh; y++) {
                        for (int xx = 0; xx < ow; xx++) {
                            long acc = 0;
                            int k = 0;
                            for (int c = 0; c < 3; c++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    for (int kx = 0; kx < 3; kx++) {
                                        int iy = y * 2 - 1 + ky;
                                        int ix = xx - 1 + kx;
                                        long w = qw.intWeights()[f][k++];
                                        if (iy >= 0 && iy < 6 && ix >= 0 && ix < 5) {
                                            acc += w * xi[((n * 3 + c) * 6 + iy) * 5 + ix];
                                        }
                                    }
                                }
                            }
                            float expected = (float) acc * (sx * qw.scale()[f]) + b[f];
                            assertEquals(
                                    Float.floatToRawIntBits(expected),
                                    Float.floatToRawIntBits(got[idx]),
                                    "output " + idx);
                            idx++;
                        }
                    }
                }
            }
            assertBoundsHold(qw);
        }
    }

    static void assertBoundsHold(QuantizedWeights qw) {
        for (int c = 0; c < qw.channels(); c++) {
            ChannelSums s = qw.sums(c);
            if (qw.variant() == Variant.A2Q) {
                assertTrue(A2qBounds.satisfiesA2q(s.l1(), qw.accumulatorBits(), qw.inputBits(), qw.inputSigned()));
            } else {
                assertTrue(A2qBounds.satisfiesA2qPlus(s.posSum(), s.negSum(), qw.accumulatorBits(), qw.inputBits()));
            }
        }
    }

    @Test
    void constrainedLayerWithoutQuantizedInputRefusesToBuild() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> QLinear.builder()
                        .setUnits(3)
                        .setVariant(Variant.A2Q_PLUS)
                        .setWeightBits(8)
                        .optAccumulatorBits(16)
                        .build());
        assertTrue(e.getMessage().contains("input must be quantized"), e.getMessage());
        // unconstrained layers may take float input
        QLinear.builder()
                .setUnits(3)
                .setVariant(Variant.UNCONSTRAINED)
                .setWeightBits(8)
                .build();
    }

    @Test
    void accumulatorTooSmallForAnyWeightRefusesToBuild() {
        // A2Q, 8-bit unsigned inputs: T = (2^7 − 1)/2^8 < 1 at P = 8
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> QLinear.builder()
                        .setUnits(3)
                        .setVariant(Variant.A2Q)
                        .setWeightBits(8)
                        .optAccumulatorBits(8)
                        .optInputFrom(QReLU.of(8))
                        .build());
        assertTrue(
                e.getMessage().contains("accumulatorBits (P) = 8")
                        && e.getMessage().contains("too small"),
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> QLinear.builder()
                        .setUnits(3)
                        .setVariant(Variant.A2Q)
                        .setWeightBits(1)
                        .optAccumulatorBits(16)
                        .optInputFrom(QReLU.of(8))
                        .build());
        assertTrue(e.getMessage().contains("weightBits (M)") && e.getMessage().contains("1"), e.getMessage());
    }

    /**
     * A loaded model that is then initialized (what a Trainer does when a run resumes from a checkpoint)
     * keeps its learned log2 s and log2 g instead of re-deriving them from v: identical output, bit for bit.
     */
    @Test
    void initializeAfterLoadKeepsTheLearnedScales(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Shape inShape = new Shape(2, 1, 8, 8);
        float[] x = randomInput(new Random(4), (int) inShape.size(), 1.0);
        float[] before;
        try (Model model = Model.newInstance("a2q")) {
            model.setBlock(cnn());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, inShape);
            NDManager m = model.getNDManager();
            model.getBlock().forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), true);
            try (org.qat4j.core.engine.NoGradScope ignored = org.qat4j.core.engine.NoGradScope.open()) {
                for (AbstractQLayer layer :
                        org.qat4j.core.train.BlockTrees.find(model.getBlock(), AbstractQLayer.class)) {
                    layer.getWeightQuantizer().getLog2Scale().getArray().addi(0.375f);
                    layer.getWeightQuantizer().getLog2Norm().getArray().subi(0.25f);
                }
            }
            before = model.getBlock()
                    .forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), false)
                    .head()
                    .toFloatArray();
            model.save(dir, "a2q");
        }
        try (Model model = Model.newInstance("a2q")) {
            model.setBlock(cnn());
            model.load(dir, "a2q");
            NDManager m = model.getNDManager();
            model.getBlock().initialize(m, DataType.FLOAT32, inShape);
            float[] after = model.getBlock()
                    .forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), false)
                    .head()
                    .toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]), "output " + i);
            }
        }
    }

    /** Save → load → identical output, bit for bit; P, M, N, variant come back from the file. */
    @Test
    void saveLoadRestoresIdenticalOutput(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Shape inShape = new Shape(2, 1, 8, 8);
        float[] x = randomInput(new Random(3), (int) inShape.size(), 1.0);
        float[] before;
        try (Model model = Model.newInstance("a2q")) {
            model.setBlock(cnn());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, inShape);
            NDManager m = model.getNDManager();
            // a training forward calibrates the activation scales; change a weight so the state is not the init
            model.getBlock().forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), true);
            before = model.getBlock()
                    .forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), false)
                    .head()
                    .toFloatArray();
            model.save(dir, "a2q");
        }
        try (Model model = Model.newInstance("a2q")) {
            model.setBlock(cnn());
            model.load(dir, "a2q");
            NDManager m = model.getNDManager();
            float[] after = model.getBlock()
                    .forward(new ParameterStore(m, false), new NDList(m.create(x, inShape)), false)
                    .head()
                    .toFloatArray();
            assertEquals(before.length, after.length);
            for (int i = 0; i < before.length; i++) {
                assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]), "output " + i);
            }
        }
        // a block built with a different P does not load silently
        try (Model model = Model.newInstance("a2q")) {
            SequentialBlock other = new SequentialBlock();
            QIdentity in = QIdentity.unsigned(8);
            other.add(in)
                    .add(QConv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .setFilters(4)
                            .setVariant(Variant.A2Q_PLUS)
                            .setWeightBits(8)
                            .optAccumulatorBits(15)
                            .optInputFrom(in)
                            .build());
            other.add(Activation::relu);
            model.setBlock(other);
            Exception e = assertThrows(Exception.class, () -> model.load(dir, "a2q"));
            assertTrue(String.valueOf(e.getMessage()).contains("accumulatorBits"), e.getMessage());
        }
        assertTrue(Files.list(dir).findAny().isPresent());
    }

    static SequentialBlock cnn() {
        SequentialBlock net = new SequentialBlock();
        QIdentity in = QIdentity.unsigned(8);
        QConv2d c1 = QConv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(4)
                .setVariant(Variant.A2Q_PLUS)
                .setWeightBits(8)
                .optAccumulatorBits(16)
                .optInputFrom(in)
                .build();
        QReLU r1 = QReLU.of(8);
        QConv2d c2 = QConv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(6)
                .setVariant(Variant.A2Q)
                .setWeightBits(6)
                .optAccumulatorBits(18)
                .optInputFrom(r1)
                .build();
        net.add(in).add(c1).add(r1).add(c2);
        return net;
    }
}
