package org.qat4j.runtime.jit;

import java.util.Random;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TestModels;

/** Fixed-point MLPs whose quantizers all use one rounding and one overflow mode, for {@link JitWorkload}. */
final class JitModels {
    private JitModels() {}

    /**
     * 10-12-8-3 with per-element formats of widths 0 to 7 (pruned elements included) at fraction 3 for the
     * input and 2 after each hidden layer, every quantizer with {@code rm}/{@code om}.
     */
    static IntegerModel modeMlp(long seed, RoundingMode rm, OverflowMode om) {
        Random rnd = new Random(seed);
        return mlp(rnd, rm, om, TestModels.randomFormats(rnd, 10, 1, 7, 3, 3), true);
    }

    /**
     * The same shape with one format for every input element, {@code (k=1, i=2, f=2)}: the input quantizer
     * of the uniform baseline model in which JDK-8376400 first showed (an element of -0.29 gave 0, not -1).
     */
    static IntegerModel uniformMlp(long seed, RoundingMode rm, OverflowMode om) {
        return mlp(new Random(seed), rm, om, FixedFormats.uniform(FixedFormat.signed(2, 2)), false);
    }

    private static IntegerModel mlp(
            Random rnd, RoundingMode rm, OverflowMode om, FixedFormats in, boolean pruneHidden) {
        int[] sizes = {10, 12, 8, 3};
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", sizes[0]);
        b.addOp(new QuantizeFixedOp("q0", "x", in, rm, om));
        String prev = "q0";
        int frac = 2;
        for (int l = 1; l < sizes.length; l++) {
            int[] w = new int[sizes[l - 1] * sizes[l]];
            for (int t = 0; t < w.length; t++) {
                w[t] = rnd.nextInt(31) - 15;
            }
            long[] bias = new long[sizes[l]];
            for (int t = 0; t < bias.length; t++) {
                bias[t] = rnd.nextInt(401) - 200;
            }
            String d = "dense" + l;
            // weights at fraction 2: the accumulator's fraction is the input's + 2
            int accFrac = (l == 1 ? 3 : frac) + 2;
            b.addOp(new DenseOp(d, prev, sizes[l - 1], sizes[l], w, bias, 32, null));
            if (l == sizes.length - 1) {
                b.addOp(new DequantizeFixedOp("out", d, new int[] {accFrac}));
            } else {
                b.addOp(new ReluOp("relu" + l, d));
                FixedFormats out = pruneHidden
                        ? TestModels.randomFormats(rnd, sizes[l], 1, 7, frac, frac)
                        : FixedFormats.uniform(FixedFormat.signed(3, frac));
                b.addOp(new RequantizeFixedOp("q" + l, "relu" + l, new int[] {accFrac}, out, rm, om));
                prev = "q" + l;
            }
        }
        return b.setOutput("out").build();
    }
}
