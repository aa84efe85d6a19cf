package org.qat4j.export.c;

import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.MultipointDenseOp;

/**
 * {@code dense} and {@code multipoint_dense} (arXiv 2002.09049) as sparse-row dot products: the non-zero
 * weights of each row ({@link CSparseRows}) multiply the inputs they index, in the accumulator type the
 * certificate proves for the layer.
 */
final class CDenseWriter {
    private CDenseWriter() {}

    /** {@code y[o] = b[o] + Σ_t w[t]·x[j[t]]} over row o's non-zero weights. */
    static void dense(COpWriter w, String fn, String params, DenseOp d) {
        StringBuilder out = w.out();
        sparseTables(out, fn, CSparseRows.of(d.weights(), d.outFeatures()));
        CArrays.table(out, fn + "_b", d.bias(), false);
        String acc = w.accumulator(d.name());
        w.function(fn, params).append("    int o, t;\n");
        openRows(out, fn, d.outFeatures(), acc, d.name());
        dot(out, 2, fn, "o", "acc", acc);
        out.append("        y[o] = acc;\n    }\n    return 0;\n}\n");
    }

    /**
     * {@code multipoint_dense}: per output channel, each point row accumulated in its own register (the
     * width the certificate proves for {@code name/points}), multiplied by its integer multiplier and added
     * to the channel's register (the width proven for {@code name}); each term lies in the certified
     * any-order interval of its register, so neither products nor sums overflow.
     */
    static void multipoint(COpWriter w, String fn, String params, MultipointDenseOp m) {
        StringBuilder out = w.out();
        long[] start = new long[m.outFeatures() + 1];
        int[] rs = m.rowStarts();
        for (int o = 0; o < start.length; o++) {
            start[o] = rs[o];
        }
        sparseTables(out, fn, CSparseRows.of(m.codes(), m.rows()));
        CArrays.table(out, fn + "_m", m.multipliers(), false);
        CArrays.table(out, fn + "_start", start, true);
        CArrays.table(out, fn + "_b", m.bias(), false);
        String pacc = w.accumulator(m.pointsName());
        String acc = w.accumulator(m.name());
        w.function(fn, params).append("    int o, r, t;\n");
        openRows(out, fn, m.outFeatures(), acc, m.name());
        CLoops.open(out, 2, "r", "(int) " + fn + "_start[o]", "(int) " + fn + "_start[o + 1]");
        out.append("            ")
                .append(pacc)
                .append(" a; /* ")
                .append(COpWriter.registerMark(m.pointsName()))
                .append(" */\n            a = 0;\n");
        dot(out, 3, fn, "r", "a", pacc);
        out.append("            acc += (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_m[r] * (")
                .append(acc)
                .append(") a;\n")
                .append("        }\n        y[o] = acc;\n    }\n    return 0;\n}\n");
    }

    /** Opens the loop over output features {@code o}, declaring the register {@code acc} set to the bias. */
    private static void openRows(StringBuilder out, String fn, int features, String acc, String layer) {
        CLoops.open(out, 1, "o", 0, features);
        out.append("        ")
                .append(acc)
                .append(" acc; /* ")
                .append(COpWriter.registerMark(layer))
                .append(" */\n        acc = (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_b[o];\n");
    }

    /** The weight, column and row-pointer tables of sparse rows. */
    private static void sparseTables(StringBuilder out, String fn, CSparseRows s) {
        CArrays.table(out, fn + "_w", s.w(), false);
        CArrays.table(out, fn + "_j", s.tap(), true);
        CArrays.table(out, fn + "_row", s.ptr(), true);
    }

    /** {@code sum += w[t]·x[j[t]]} over sparse row {@code row}, in C type {@code type}, at {@code depth}. */
    private static void dot(StringBuilder out, int depth, String fn, String row, String sum, String type) {
        CLoops.open(out, depth, "t", "(int) " + fn + "_row[" + row + "]", "(int) " + fn + "_row[" + row + " + 1]");
        out.append(CLoops.indent(depth + 1))
                .append(sum)
                .append(" += (")
                .append(type)
                .append(") ")
                .append(fn)
                .append("_w[t] * (")
                .append(type)
                .append(") x[")
                .append(fn)
                .append("_j[t]];\n");
        CLoops.close(out, depth, depth);
    }
}
