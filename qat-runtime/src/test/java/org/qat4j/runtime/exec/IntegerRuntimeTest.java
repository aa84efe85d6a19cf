package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.TensorKind;
import org.qat4j.runtime.model.TestModels;

class IntegerRuntimeTest {

    static List<IntegerModel> models() {
        return List.of(
                TestModels.mlpFixed(1, 16, 64, 32, 32, 5),
                TestModels.mlpFixed(2, 7, 3, 9),
                TestModels.cnnFixed(3),
                TestModels.conv1dFixed(4),
                TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q, 16, 20, 12, 4),
                TestModels.mlpA2q(6, A2qConstraint.Variant.A2Q_PLUS, 14, 20, 12, 4),
                TestModels.mlpWide(8, 512, 12),
                TestModels.mlpWide(9, 64, 24),
                TestModels.mlpWide(11, 8192, 31),
                TestModels.cnnA2qFloatAvgPool(10),
                TestModels.mlpA2qResidual(12),
                org.qat4j.runtime.model.AccumulatorWidths.deriveMinimal(
                        org.qat4j.runtime.model.MultipointModels.mlp(12, 24, 16, 5, 4, 64, 64)));
    }

    /** Accumulators wider than 32 bits run on float64 below 2^53 and on int64 beyond (the proven-width check passes). */
    @Test
    void wideAccumulatorsTakeTheWideArithmetic() {
        for (int[] kw : new int[][] {{512, 12, 2}, {64, 24, 2}, {8192, 31, 3}}) {
            IntegerModel m = TestModels.mlpWide(8, kw[0], kw[1]);
            DenseKernel k = new DenseKernel((DenseOp) m.op("d1"), 0, 1, org.qat4j.runtime.model.RangeAnalysis.of(m));
            assertEquals(Arithmetic.values()[kw[2]], k.chosenArithmetic(), java.util.Arrays.toString(kw));
        }
    }

    static float[] randomInput(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int t = 0; t < n; t++) {
            x[t] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }

    /** Every model, 200 random samples per model, batch of 50 and one by one, against the naive evaluator, bit for bit. */
    @Test
    void runtimeEqualsNaiveEvaluatorBitForBit() {
        Random rnd = new Random(42);
        int checked = 0;
        for (IntegerModel m : models()) {
            IntegerRuntime rt = IntegerRuntime.compile(m);
            int in = rt.inputSize();
            int out = rt.outputSize();
            boolean isFloat = m.tensor(m.outputName()).kind() == TensorKind.FLOAT;
            for (int rep = 0; rep < 4; rep++) {
                int batch = 50;
                float[] x = randomInput(rnd, batch * in, rep == 0 ? 0.5f : 4f);
                float[] yb = isFloat ? rt.runFloat(x, batch) : null;
                for (int b = 0; b < batch; b++) {
                    float[] xs = java.util.Arrays.copyOfRange(x, b * in, (b + 1) * in);
                    Object ref = NaiveEvaluator.run(m, xs);
                    float[] r = (float[]) ref;
                    float[] single = rt.runFloat(xs, 1);
                    for (int e = 0; e < out; e++) {
                        assertEquals(
                                Float.floatToRawIntBits(r[e]),
                                Float.floatToRawIntBits(yb[b * out + e]),
                                "model " + m.provenance().method() + " sample " + b + " element " + e);
                        assertEquals(Float.floatToRawIntBits(r[e]), Float.floatToRawIntBits(single[e]));
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 5000, "checked " + checked);
    }

    @Test
    void provenKernelsTakeTheFastPaths() {
        IntegerModel m = TestModels.mlpFixed(1, 16, 64, 32, 32, 5);
        org.qat4j.runtime.model.RangeAnalysis ra = org.qat4j.runtime.model.RangeAnalysis.of(m);
        for (ModelOp op : m.ops()) {
            if (op instanceof DenseOp d) {
                assertEquals(Arithmetic.FLOAT32, new DenseKernel(d, 0, 1, ra).chosenArithmetic(), d.name());
            }
        }
    }

    /** A declared width below the worst case forces the checked path, which throws instead of wrapping. */
    @Test
    void overflowIsDetectedNeverSilent() {
        IntegerModel m0 = TestModels.mlpFixed(7, 4, 3);
        DenseOp d0 = (DenseOp) m0.op("dense1");
        IntegerModel m = m0.toBuilder()
                .clearOps()
                .addOp(m0.ops().get(0))
                .addOp(new DenseOp("dense1", d0.input(), 4, 3, d0.weights(), null, 32, null))
                .addOp(m0.ops().get(2))
                .build();
        DenseOp d = (DenseOp) m.op("dense1");
        org.qat4j.runtime.model.RangeAnalysis ra = org.qat4j.runtime.model.RangeAnalysis.of(m);
        long[] pmax = ra.accumulator("dense1").partialMax();
        int need = 0;
        for (int o = 0; o < pmax.length; o++) {
            need = Math.max(
                    need,
                    org.qat4j.runtime.model.RangeAnalysis.signedBitsNeeded(
                            ra.accumulator("dense1").partialMin()[o], pmax[o]));
        }
        IntegerModel small = m.toBuilder()
                .clearOps()
                .addOp(m.ops().get(0))
                .addOp(new DenseOp(
                        "dense1", d.input(), d.inFeatures(), d.outFeatures(), d.weights(), null, need - 1, null))
                .addOp(m.ops().get(2))
                .build();
        IntegerRuntime rt = IntegerRuntime.compile(small);
        assertEquals(
                Arithmetic.CHECKED,
                new DenseKernel((DenseOp) small.op("dense1"), 0, 1, org.qat4j.runtime.model.RangeAnalysis.of(small))
                        .chosenArithmetic());
        float[] big = {1e6f, -1e6f, 1e6f, -1e6f};
        float[] big2 = {-1e6f, 1e6f, -1e6f, 1e6f};
        AccumulatorOverflowException e = assertThrows(AccumulatorOverflowException.class, () -> {
            rt.runFloat(big, 1);
            rt.runFloat(big2, 1);
        });
        assertTrue(e.getMessage().contains("dense1"), e.getMessage());
        // zero input: every partial sum is 0, which fits
        float[] y = rt.runFloat(new float[4], 1);
        assertArrayEquals(IntegerRuntime.compile(m).runFloat(new float[4], 1), y);
    }

    @Test
    void rejectsWrongInputLength() {
        IntegerRuntime rt = IntegerRuntime.compile(TestModels.mlpFixed(1, 4, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rt.runFloat(new float[7], 2));
        assertTrue(e.getMessage().contains("expected batch × 4 = 8"), e.getMessage());
    }
}
