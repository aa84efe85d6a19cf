package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TestModels;

/**
 * The exact fixed-point form against the integer runtime, bit for bit, in ONNX Runtime at NO_OPT and
 * ALL_OPT: every rounding × overflow mode pair, every op kind, float32 and float64 accumulation.
 */
class ExactFormTest {

    /** Input quantizer and requantizer in one mode pair, per-element formats with negative, zero and pruned widths. */
    static IntegerModel modes(RoundingMode r, OverflowMode o, long seed) {
        Random rnd = new Random(seed);
        int n = 10;
        int[] k = new int[n];
        int[] i = new int[n];
        int[] f = new int[n];
        for (int e = 0; e < n; e++) {
            k[e] = e % 2;
            f[e] = rnd.nextInt(7) - 1;
            i[e] = rnd.nextInt(5) - k[e] - (e == 3 ? 20 : 0); // element 3 is pruned (width <= 0)
        }
        int[] w1 = new int[6 * n];
        for (int t = 0; t < w1.length; t++) {
            w1[t] = rnd.nextInt(41) - 20;
        }
        int[] w2 = new int[3 * 6];
        for (int t = 0; t < w2.length; t++) {
            w2[t] = rnd.nextInt(31) - 15;
        }
        // the input fraction per element is f[e]; align products to fraction 6 with weights at fraction 6 - f[e]
        int[] wa = new int[w1.length];
        for (int o2 = 0; o2 < 6; o2++) {
            for (int e = 0; e < n; e++) {
                wa[o2 * n + e] = w1[o2 * n + e] << (6 - f[e]);
            }
        }
        return AccumulatorWidths.deriveMinimal(IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", n)
                .addOp(new QuantizeFixedOp("q0", "x", FixedFormats.of(k, i, f, "f"), r, o))
                .addOp(new DenseOp("d1", "q0", n, 6, wa, new long[] {5, -70, 0, 300, -1, 2}, 64, null))
                .addOp(new RequantizeFixedOp(
                        "q1",
                        "d1",
                        new int[] {6},
                        FixedFormats.of(
                                new int[] {1, 0, 1, 0, 1, 0},
                                new int[] {2, 3, 1, 2, 0, 4},
                                new int[] {2, 1, 3, 0, 2, -1},
                                "g"),
                        r,
                        o))
                .addOp(new DenseOp("d2", "q1", 6, 3, w2, null, 64, null))
                .addOp(new DequantizeFixedOp("out", "d2", new int[] {3}))
                .setOutput("out")
                .build());
    }

    @ParameterizedTest
    @EnumSource(RoundingMode.class)
    void everyRoundingModeWithEveryOverflowMode(RoundingMode r) throws Exception {
        for (OverflowMode o : OverflowMode.values()) {
            OnnxAssertions.assertBitExact(
                    modes(r, o, r.ordinal() * 7L + o.ordinal()), OnnxForm.EXACT_FIXED_POINT, 1500, 1500);
        }
    }

    @Test
    void mlpWithPerElementFormats() throws Exception {
        OnnxAssertions.assertBitExact(TestModels.mlpFixed(3, 12, 16, 8, 4), OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
    }

    @Test
    void cnnWithPaddingStrideDilationPoolsAndResidual() throws Exception {
        OnnxExport e = OnnxAssertions.assertBitExact(TestModels.cnnFixed(4), OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
        assertTrue(
                ops(e).containsAll(Set.of("Conv", "MaxPool", "AveragePool", "Add", "Flatten", "MatMul")),
                ops(e).toString());
    }

    @Test
    void conv1dWithTruncationAndSymmetricSaturation() throws Exception {
        OnnxAssertions.assertBitExact(TestModels.conv1dFixed(5), OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
    }

    @Test
    void accumulatorsBeyond2To24RunInFloat64() throws Exception {
        IntegerModel m = TestModels.mlpWide(6, 40, 16);
        OnnxExport e = OnnxAssertions.assertBitExact(m, OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
        boolean doubleWeights = e.model().getGraph().getInitializerList().stream()
                .anyMatch(t ->
                        t.getName().startsWith("d1/weightsT") && t.getDataType() == TensorProto.DataType.DOUBLE_VALUE);
        assertTrue(doubleWeights, "d1's partial sums exceed 2^24: its MatMul must be float64");
    }

    @Test
    void float64ConvolutionAsGatheredPatches() throws Exception {
        Random rnd = new Random(8);
        int[] w = new int[4 * 2 * 3 * 3];
        for (int t = 0; t < w.length; t++) {
            w[t] = (rnd.nextInt(2001) - 1000) << 8; // sums far beyond 2^24
        }
        IntegerModel m = AccumulatorWidths.deriveMinimal(IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 2, 7, 6)
                .addOp(new QuantizeFixedOp(
                        "q0",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {3}, new int[] {5}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new ConvOp(
                        "conv",
                        "q0",
                        2,
                        4,
                        new int[] {3, 3},
                        new int[] {2, 1},
                        new int[] {1, 2},
                        new int[] {1, 2},
                        w,
                        new long[] {1L << 30, -5, 7, 0},
                        64,
                        null))
                .addOp(new RequantizeFixedOp(
                        "q1",
                        "conv",
                        new int[] {13},
                        FixedFormats.uniform(new org.qat4j.runtime.fixed.FixedFormat(1, 9, 2)),
                        RoundingMode.RND_INF,
                        OverflowMode.WRAP))
                .addOp(new DequantizeFixedOp("out", "q1", new int[] {2}))
                .setOutput("out")
                .build());
        OnnxExport e = OnnxAssertions.assertBitExact(m, OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
        assertTrue(ops(e).contains("Gather") && !ops(e).contains("Conv"), ops(e).toString());
    }

    @Test
    void float64PoolingWhereAveragePoolHasNoFloat64Kernel() throws Exception {
        Random rnd = new Random(8);
        int[] w = new int[4 * 2 * 9];
        for (int t = 0; t < w.length; t++) {
            w[t] = (rnd.nextInt(2001) - 1000) << 8;
        }
        IntegerModel m = AccumulatorWidths.deriveMinimal(IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 2, 8, 8)
                .addOp(new QuantizeFixedOp(
                        "q0",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {3}, new int[] {5}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new ConvOp(
                        "conv",
                        "q0",
                        2,
                        4,
                        new int[] {3, 3},
                        new int[] {1, 1},
                        new int[] {1, 1},
                        new int[] {1, 1},
                        w,
                        null,
                        64,
                        null))
                // 29-bit mantissas: every tensor after the conv is float64
                .addOp(new RequantizeFixedOp(
                        "q1",
                        "conv",
                        new int[] {10},
                        FixedFormats.uniform(new org.qat4j.runtime.fixed.FixedFormat(1, 26, 2)),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new org.qat4j.runtime.model.PoolOp(
                        "mp", "q1", org.qat4j.runtime.model.PoolOp.Kind.MAX, new int[] {2, 2}, new int[] {2, 2}, 64))
                .addOp(new org.qat4j.runtime.model.PoolOp(
                        "ap", "mp", org.qat4j.runtime.model.PoolOp.Kind.AVG, new int[] {2, 2}, new int[] {2, 2}, 64))
                .addOp(new ReluOp("r", "ap"))
                .addOp(new DequantizeFixedOp("out", "r", new int[] {4}))
                .setOutput("out")
                .build());
        OnnxExport e = OnnxAssertions.assertBitExact(m, OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
        assertTrue(ops(e).contains("MaxPool") && !ops(e).contains("AveragePool"), ops(e).toString());
    }

    @Test
    void a2qMlpWithFloat32PostScales() throws Exception {
        OnnxAssertions.assertBitExact(
                TestModels.mlpA2q(9, A2qConstraint.Variant.A2Q_PLUS, 16, 20, 12, 5),
                OnnxForm.EXACT_FIXED_POINT,
                2000,
                2000);
        OnnxAssertions.assertBitExact(
                TestModels.mlpA2q(10, A2qConstraint.Variant.A2Q, 14, 20, 12, 5),
                OnnxForm.EXACT_FIXED_POINT,
                2000,
                2000);
    }

    @Test
    void a2qCnnWithFloatAveragePooling() throws Exception {
        OnnxAssertions.assertBitExact(TestModels.cnnA2qFloatAvgPool(12), OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
    }

    @Test
    void a2qResidualWithFloatAdd() throws Exception {
        OnnxAssertions.assertBitExact(TestModels.mlpA2qResidual(12), OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
        OnnxAssertions.assertBitExact(TestModels.mlpA2qResidual(13), OnnxForm.QCDQ, 2000, 2000);
    }

    @Test
    void integerOutputIsInt64() throws Exception {
        IntegerModel base = modes(RoundingMode.RND, OverflowMode.SAT, 13);
        IntegerModel m = base.toBuilder()
                .clearOps()
                .addOp(base.ops().get(0))
                .addOp(base.ops().get(1))
                .addOp(new ReluOp("r", "d1"))
                .setOutput("r")
                .build();
        OnnxExport e = OnnxAssertions.assertBitExact(m, OnnxForm.EXACT_FIXED_POINT, 1000, 1000);
        assertEquals(
                TensorProto.DataType.INT64_VALUE,
                e.model().getGraph().getOutput(0).getType().getTensorType().getElemType());
    }

    static Set<String> ops(OnnxExport e) {
        return e.model().getGraph().getNodeList().stream()
                .map(NodeProto::getOpType)
                .collect(Collectors.toSet());
    }
}
