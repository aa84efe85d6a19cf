package org.qat4j.runtime.model;

import java.util.Random;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/** Small random models with an {@code embedding} op, for tests: float indices → quantize_fixed (k=1, f=0) → embedding. */
public final class EmbeddingModels {
    private EmbeddingModels() {}

    /**
     * Indices in {@code [-2^indexBits, 2^indexBits − 1]} (negative and ≥ rows are padding), random codes,
     * scales in [1, 300], offsets in [-2000, 2000], or random codebooks in [-3000, 3000].
     */
    public static IntegerModel random(
            long seed,
            int positions,
            int rows,
            int dim,
            int codeBits,
            EmbeddingOp.Kind kind,
            int indexBits,
            int accBits) {
        Random rnd = new Random(seed);
        int[] codes = new int[rows * dim];
        for (int e = 0; e < codes.length; e++) {
            codes[e] = rnd.nextInt(1 << codeBits);
        }
        long[] scale = null;
        long[] offset = null;
        long[] book = null;
        if (kind == EmbeddingOp.Kind.AFFINE) {
            scale = new long[rows];
            offset = new long[rows];
            for (int r = 0; r < rows; r++) {
                scale[r] = 1 + rnd.nextInt(300);
                offset[r] = rnd.nextInt(4001) - 2000;
            }
        } else {
            book = new long[rows << codeBits];
            for (int e = 0; e < book.length; e++) {
                book[e] = rnd.nextInt(6001) - 3000;
            }
        }
        return IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("row-wise"))
                .setInput("x", positions)
                .addOp(new QuantizeFixedOp(
                        "idx",
                        "x",
                        FixedFormats.uniform(new FixedFormat(1, indexBits, 0)),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new EmbeddingOp("emb", "idx", rows, dim, codeBits, kind, codes, scale, offset, book, accBits))
                .setOutput("emb")
                .build();
    }

    /** The op of {@link #random}. */
    public static EmbeddingOp op(IntegerModel m) {
        return (EmbeddingOp) m.ops().get(1);
    }
}
