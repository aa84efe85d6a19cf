package org.qat4j.hgq.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.quant.BitGranularity;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.hgq.quant.QuantizerFormats;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;

/**
 * The export contract: in evaluation mode a layer's output equals, bit for bit, the integer
 * computation from the exported pieces (input formats, integer kernel and bias), here recomputed in
 * exact double arithmetic from {@code FixedPoint.quantize}.
 */
class EvalExactnessTest {

    @Test
    void conv2dWithStridePaddingDilationMatchesTheIntegerComputation() {
        Engine.getInstance().setRandomSeed(12);
        HConv2d conv = HConv2d.builder()
                .setFilters(3)
                .setKernelShape(new Shape(3, 2))
                .optStride(new Shape(2, 1))
                .optPadding(new Shape(1, 2))
                .optDilation(new Shape(1, 2))
                .optFusedBatchNorm(true)
                .optActivation(HActivationType.RELU)
                .build();
        try (Model model = Model.newInstance("conv")) {
            model.setBlock(conv);
            NDManager m = model.getNDManager();
            conv.initialize(m, DataType.FLOAT32, new Shape(4, 2, 7, 6));
            NDArray calib = m.randomNormal(new Shape(32, 2, 7, 6)).mul(1.5f);
            // a few training forwards move the running statistics away from (0, 1)
            for (int s = 0; s < 3; s++) {
                conv.forward(new ParameterStore(m, false), new NDList(calib), true);
            }
            HgqCalibration.traceMinMax(conv, m, List.of(new NDList(calib)));
            NDArray x = m.randomNormal(new Shape(4, 2, 7, 6)).mul(1.5f);
            float[] got = conv.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();

            QuantizerFormats in = conv.inputFormats();
            QuantizedConstant k = conv.quantizedKernel();
            QuantizedConstant b = conv.quantizedBias();
            float[] xs = x.toFloatArray();
            int n = 4, c = 2, h = 7, w = 6, o = 3, kh = 3, kw = 2, sh = 2, sw = 1, ph = 1, pw = 2, dh = 1, dw = 2;
            int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
            int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
            assertEquals(n * o * oh * ow, got.length);
            int checked = 0;
            for (int ni = 0; ni < n; ni++) {
                for (int oi = 0; oi < o; oi++) {
                    for (int y = 0; y < oh; y++) {
                        for (int z = 0; z < ow; z++) {
                            double acc = b.value(oi);
                            for (int ci = 0; ci < c; ci++) {
                                FixedFormat fmt = in.format(in.size() == 1 ? 0 : ci);
                                for (int a = 0; a < kh; a++) {
                                    for (int e = 0; e < kw; e++) {
                                        int yy = y * sh - ph + a * dh;
                                        int zz = z * sw - pw + e * dw;
                                        if (yy < 0 || yy >= h || zz < 0 || zz >= w) {
                                            continue;
                                        }
                                        float xv = xs[((ni * c + ci) * h + yy) * w + zz];
                                        double xq = fmt.width() <= 0
                                                ? 0
                                                : FixedPoint.toDouble(
                                                        FixedPoint.quantize(xv, fmt, in.rounding(), in.overflow()),
                                                        fmt);
                                        acc += xq * k.value(((oi * c + ci) * kh + a) * kw + e);
                                    }
                                }
                            }
                            float expected = (float) Math.max(acc, 0);
                            float actual = got[((ni * o + oi) * oh + y) * ow + z];
                            assertEquals(
                                    Float.floatToRawIntBits(expected + 0f),
                                    Float.floatToRawIntBits(actual + 0f),
                                    "output (" + ni + "," + oi + "," + y + "," + z + "): " + expected + " vs "
                                            + actual);
                            checked++;
                        }
                    }
                }
            }
            assertTrue(checked > 100);
        }
    }

    @Test
    void invalidConfigurationsNameTheParameterAndValue() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> HConv2d.builder()
                        .setFilters(2)
                        .setKernelShape(new Shape(3, 3))
                        .optInputQuantizer(HgqQuantizerConfig.activations()
                                .optGranularity(BitGranularity.PER_ELEMENT)
                                .build())
                        .build());
        assertTrue(e.getMessage().contains("PER_ELEMENT"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HDense.builder().setUnits(0).build());
        assertTrue(e.getMessage().contains("units") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HgqQuantizerConfig.weights().optInitialSignificantBits(0).build());
        assertTrue(
                e.getMessage().contains("initialSignificantBits")
                        && e.getMessage().contains("0"),
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HgqQuantizerConfig.activations()
                        .optFractionalBitsRange(-30, 4)
                        .build());
        assertTrue(
                e.getMessage().contains("fractionalBitsRange") && e.getMessage().contains("-30"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HgqQuantizerConfig.activations()
                        .optIntegerBits(org.qat4j.hgq.quant.IntegerBitsMode.TRAINABLE)
                        .build());
        assertTrue(e.getMessage().contains("WRAP"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HConv1d.builder()
                        .setFilters(2)
                        .setKernelShape(new Shape(3))
                        .optStride(new Shape(0))
                        .build());
        assertTrue(e.getMessage().contains("stride"), e.getMessage());
    }

    @Test
    void addAndConv1dRunAndAddIsExact() {
        try (NDManager m = NDManager.newBaseManager()) {
            HAdd add = new HAdd(null);
            NDArray a = m.create(new float[] {0.25f, -1.5f, 3f}, new Shape(1, 3));
            NDArray b = m.create(new float[] {0.125f, 1.5f, -0.75f}, new Shape(1, 3));
            float[] s = add.forward(new ParameterStore(m, false), new NDList(a, b), false)
                    .singletonOrThrow()
                    .toFloatArray();
            assertEquals(List.of(0.375f, 0f, 2.25f), List.of(s[0], s[1] + 0f, s[2]));
            HConv1d conv = HConv1d.builder()
                    .setFilters(2)
                    .setKernelShape(new Shape(3))
                    .optPadding(new Shape(1))
                    .build();
            conv.initialize(m, DataType.FLOAT32, new Shape(2, 4, 10));
            NDArray y = conv.forward(
                            new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 4, 10))), true)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 2, 10), y.getShape());
        }
    }
}
