package org.qat4j.export.c;

import org.qat4j.runtime.model.EmbeddingOp;

/**
 * {@code embedding} (a bag of rows, arXiv 1911.02079): rows selected by in-range indices, decoded from
 * their codes (affine {@code scale_r·c + offset_r} in int64_t, or the row's codebook entry) and summed per
 * column in the certified accumulator type; out-of-range indices are padding.
 */
final class CEmbeddingWriter {
    private CEmbeddingWriter() {}

    static void embedding(COpWriter w, String fn, String params, EmbeddingOp m) {
        StringBuilder out = w.out();
        int positions = w.tensor(m.input()).numel();
        CArrays.table(out, fn + "_code", CArrays.widen(m.codes()), true);
        String value;
        if (m.kind() == EmbeddingOp.Kind.AFFINE) {
            CArrays.table(out, fn + "_scale", m.scale(), false);
            CArrays.table(out, fn + "_offset", m.offset(), false);
            value = "(int64_t) " + fn + "_scale[r] * (int64_t) " + fn + "_code[r * " + m.dim() + " + d] + (int64_t) "
                    + fn + "_offset[r]";
        } else {
            CArrays.table(out, fn + "_book", m.codebook(), false);
            value = "(int64_t) " + fn + "_book[(r << " + m.codeBits() + ") + " + fn + "_code[r * " + m.dim() + " + d]]";
        }
        String acc = w.accumulator(m.name());
        w.function(fn, params)
                .append("    int l, d;\n")
                .append("    ")
                .append(acc)
                .append(" acc[")
                .append(m.dim())
                .append("]; /* ")
                .append(COpWriter.registerMark(m.name()))
                .append(" */\n")
                .append("    for (d = 0; d < ")
                .append(m.dim())
                .append("; d++) acc[d] = 0;\n");
        CLoops.open(out, 1, "l", 0, positions);
        out.append("        int64_t r = x[l];\n")
                .append("        if (r < 0 || r >= ")
                .append(m.rows())
                .append(") continue;\n")
                .append("        for (d = 0; d < ")
                .append(m.dim())
                .append("; d++) acc[d] += (")
                .append(acc)
                .append(") (")
                .append(value)
                .append(");\n    }\n")
                .append("    for (d = 0; d < ")
                .append(m.dim())
                .append("; d++) y[d] = acc[d];\n    return 0;\n}\n");
    }
}
