package org.qat4j.runtime.model;

import java.util.Random;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.fixed.SparqWindow;

/** Small models with a {@code sparq} op, for tests. */
public final class SparqModels {
    private SparqModels() {}

    /** The op of a variant: 8-bit inputs, 4-bit windows, {@code count} placements. */
    public static SparqOp op(String name, String input, int count, boolean rounding, boolean pairs) {
        return new SparqOp(name, input, 8, 4, SparqWindow.placements(8, 4, count), rounding, pairs);
    }

    /** x[2] → quantize_scaled (s = 1, unsigned 8 bits) → sparq: one activation pair per sample, integer output. */
    public static IntegerModel pair(int count, boolean rounding, boolean pairs) {
        return IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("sparq"))
                .setInput("x", 2)
                .addOp(new QuantizeScaledOp("q", "x", 1f, 8, false, false))
                .addOp(op("sp", "q", count, rounding, pairs))
                .setOutput("sp")
                .build();
    }

    /**
     * x[5, 4, 4] → quantize_scaled (unsigned 8 bits; 5 channels: the last is unpaired) → sparq → conv2d 5→3 (3×3, padding 1)
     * → dequantize_scaled; random weights in [-127, 127], accumulator width derived.
     */
    public static IntegerModel conv(long seed, int count, boolean rounding, boolean pairs) {
        Random rnd = new Random(seed);
        int[] w = new int[3 * 5 * 9];
        for (int t = 0; t < w.length; t++) {
            w[t] = rnd.nextInt(255) - 127;
        }
        IntegerModel m = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("sparq"))
                .setInput("x", 5, 4, 4)
                .addOp(new QuantizeScaledOp("q", "x", 0.03125f, 8, false, false))
                .addOp(op("sp", "q", count, rounding, pairs))
                .addOp(new ConvOp(
                        "conv",
                        "sp",
                        5,
                        3,
                        new int[] {3, 3},
                        new int[] {1, 1},
                        new int[] {1, 1},
                        new int[] {1, 1},
                        w,
                        null,
                        64,
                        null))
                .addOp(new DequantizeScaledOp("out", "conv", 0.03125f, new float[] {0.01f, 0.02f, 0.005f}, null))
                .setOutput("out")
                .build();
        return AccumulatorWidths.deriveMinimal(m);
    }

    /**
     * x[7] → quantize_fixed (unsigned, 5 integer bits: [0, 31], a narrower range than 8 bits) → sparq → dense 7→3 → dequantize;
     * width derived.
     */
    public static IntegerModel dense(long seed, int count, boolean rounding, boolean pairs) {
        Random rnd = new Random(seed);
        int[] w = new int[3 * 7];
        for (int t = 0; t < w.length; t++) {
            w[t] = rnd.nextInt(255) - 127;
        }
        IntegerModel m = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("sparq"))
                .setInput("x", 7)
                .addOp(new QuantizeFixedOp(
                        "q", "x", FixedFormats.uniform(new FixedFormat(0, 5, 0)), RoundingMode.RND, OverflowMode.SAT))
                .addOp(op("sp", "q", count, rounding, pairs))
                .addOp(new DenseOp("fc", "sp", 7, 3, w, new long[] {5, -7, 100}, 64, null))
                .addOp(new DequantizeFixedOp("out", "fc", new int[] {0}))
                .setOutput("out")
                .build();
        return AccumulatorWidths.deriveMinimal(m);
    }
}
