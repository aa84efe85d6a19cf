package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.MultipointModels;

class MultipointKernelTest {

    private static float[] input(long seed, int n, float scale) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int t = 0; t < n; t++) {
            x[t] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }

    /** Proven (minimal widths) and unproven-but-wide (checked) paths give the naive evaluator's results, in a batch and one by one. */
    @Test
    void provenAndCheckedPathsEqualTheNaiveEvaluator() {
        IntegerModel wide = MultipointModels.mlp(3, 24, 16, 5, 4, 64, 64);
        IntegerModel minimal = AccumulatorWidths.deriveMinimal(wide);
        // one bit below the minimal widths: the worst case is not proven, so every partial sum is checked; small inputs
        // stay inside
        MultipointDenseOp mp1 = (MultipointDenseOp) minimal.op("mp1");
        IntegerModel checked = AccumulatorWidths.replace(
                minimal,
                "mp1",
                AccumulatorWidths.multipointWithBits(mp1, mp1.pointAccumulatorBits() - 1, mp1.accumulatorBits() - 1));
        assertTrue(
                IntegerRuntime.compile(checked).arithmetic().get("mp1").contains("checked"),
                IntegerRuntime.compile(checked).arithmetic().toString());
        for (IntegerModel m : new IntegerModel[] {wide, minimal, checked}) {
            IntegerRuntime rt = IntegerRuntime.compile(m);
            int batch = 40;
            float[] x = input(
                    5, batch * 24, 0.3f); // small inputs: the checked model's sums stay inside its narrowed widths
            float[] y = rt.runFloat(x, batch);
            for (int b = 0; b < batch; b++) {
                float[] xs = java.util.Arrays.copyOfRange(x, b * 24, (b + 1) * 24);
                float[] ref = (float[]) NaiveEvaluator.run(m, xs);
                float[] one = rt.runFloat(xs, 1);
                for (int e = 0; e < 5; e++) {
                    assertEquals(
                            Float.floatToRawIntBits(ref[e]),
                            Float.floatToRawIntBits(y[b * 5 + e]),
                            "sample " + b + " output " + e);
                    assertEquals(Float.floatToRawIntBits(ref[e]), Float.floatToRawIntBits(one[e]));
                }
            }
        }
    }

    @Test
    void overflowOfAPointOrOfTheCombinationThrowsNamingTheLayer() {
        IntegerModel minimal = AccumulatorWidths.deriveMinimal(MultipointModels.mlp(3, 24, 16, 5, 4, 64, 64));
        MultipointDenseOp mp1 = (MultipointDenseOp) minimal.op("mp1");
        float[] x = new float[24];
        java.util.Arrays.fill(x, 100f); // saturates every input at its maximum
        IntegerModel narrowPoints =
                AccumulatorWidths.replace(minimal, "mp1", AccumulatorWidths.multipointWithBits(mp1, 4, 64));
        AccumulatorOverflowException e = assertThrows(
                AccumulatorOverflowException.class,
                () -> IntegerRuntime.compile(narrowPoints).runFloat(x, 1));
        assertTrue(e.getMessage().contains("'mp1/points'"), e.getMessage());
        IntegerModel narrowSum = AccumulatorWidths.replace(
                minimal, "mp1", AccumulatorWidths.multipointWithBits(mp1, mp1.pointAccumulatorBits(), 8));
        e = assertThrows(
                AccumulatorOverflowException.class,
                () -> IntegerRuntime.compile(narrowSum).runFloat(x, 1));
        assertTrue(e.getMessage().contains("'mp1'"), e.getMessage());
    }

    @Test
    void fileRoundTripKeepsEveryFieldAndTheReaderRejectsBadCodes() {
        IntegerModel m = MultipointModels.mlp(7, 10, 6, 3, 3, 20, 40);
        IntegerModel back = ModelReader.fromJson(ModelWriter.toJson(m));
        MultipointDenseOp a = (MultipointDenseOp) m.op("mp1");
        MultipointDenseOp b = (MultipointDenseOp) back.op("mp1");
        assertArrayEquals(a.points(), b.points());
        assertArrayEquals(a.codes(), b.codes());
        assertArrayEquals(a.multipliers(), b.multipliers());
        assertArrayEquals(a.bias(), b.bias());
        assertEquals(a.weightBits(), b.weightBits());
        assertEquals(a.pointAccumulatorBits(), b.pointAccumulatorBits());
        assertEquals(a.accumulatorBits(), b.accumulatorBits());
        assertEquals(ModelWriter.toJson(m), ModelWriter.toJson(back));

        int[] codes = a.codes();
        codes[3] = 4; // outside ±3 at 3 bits
        ModelFormatException bad = assertThrows(
                ModelFormatException.class,
                () -> new MultipointDenseOp(
                        "mp1", "q0", 10, 6, 3, a.points(), codes, a.multipliers(), a.bias(), 20, 40));
        assertTrue(bad.getMessage().contains("mp1.codes[0][3] = 4"), bad.getMessage());
        int[] none = a.points();
        none[2] = 0;
        bad = assertThrows(
                ModelFormatException.class,
                () -> new MultipointDenseOp("mp1", "q0", 10, 6, 3, none, a.codes(), a.multipliers(), a.bias(), 20, 40));
        assertTrue(bad.getMessage().contains("mp1.points[2] = 0"), bad.getMessage());
    }
}
