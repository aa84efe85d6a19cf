package org.qat4j.runtime.model;

import java.util.Random;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Small random models with {@code multipoint_dense} ops, for tests: float input → quantize_fixed (signed,
 * fraction 4) → multipoint_dense → relu → requantize_fixed → multipoint_dense → dequantize_fixed.
 */
public final class MultipointModels {
    private MultipointModels() {}

    /** A random multipoint layer: 1 to {@code maxPoints} points per channel, full-range b-bit codes, multipliers in ±[1, 2^10]. */
    public static MultipointDenseOp randomOp(
            Random rnd,
            String name,
            String input,
            int in,
            int out,
            int bits,
            int maxPoints,
            int pointBits,
            int accBits) {
        int[] points = new int[out];
        int rows = 0;
        for (int o = 0; o < out; o++) {
            points[o] = 1 + rnd.nextInt(maxPoints);
            rows += points[o];
        }
        int top = (1 << (bits - 1)) - 1;
        int[] codes = new int[rows * in];
        for (int e = 0; e < codes.length; e++) {
            codes[e] = rnd.nextInt(2 * top + 1) - top;
        }
        long[] mult = new long[rows];
        for (int r = 0; r < rows; r++) {
            mult[r] = (1 + rnd.nextInt(1 << 10)) * (rnd.nextInt(8) == 0 ? -1 : 1);
        }
        long[] bias = new long[out];
        for (int o = 0; o < out; o++) {
            bias[o] = rnd.nextInt(20001) - 10000;
        }
        return new MultipointDenseOp(name, input, in, out, bits, points, codes, mult, bias, pointBits, accBits);
    }

    /** Two multipoint layers {@code in → hidden → out} at {@code bits}-bit codes, widths as declared (64 = certainly proven). */
    public static IntegerModel mlp(long seed, int in, int hidden, int out, int bits, int pointBits, int accBits) {
        Random rnd = new Random(seed);
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("multipoint"))
                .setInput("x", in);
        b.addOp(new QuantizeFixedOp(
                "q0", "x", FixedFormats.uniform(new FixedFormat(1, 3, 4)), RoundingMode.RND, OverflowMode.SAT));
        b.addOp(randomOp(rnd, "mp1", "q0", in, hidden, bits, 3, pointBits, accBits));
        b.addOp(new ReluOp("relu1", "mp1"));
        b.addOp(new RequantizeFixedOp(
                "q1",
                "relu1",
                new int[] {14},
                FixedFormats.uniform(new FixedFormat(0, 4, 4)),
                RoundingMode.RND,
                OverflowMode.SAT));
        b.addOp(randomOp(rnd, "mp2", "q1", hidden, out, bits, 3, pointBits, accBits));
        b.addOp(new DequantizeFixedOp("out", "mp2", new int[] {14}));
        return b.setOutput("out").build();
    }
}
