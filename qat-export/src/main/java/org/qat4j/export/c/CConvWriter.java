package org.qat4j.export.c;

import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * {@code conv1d}/{@code conv2d} (groups = 1, zero padding), tap-major: each non-zero weight is added to
 * every output position it reaches, whose range per tap ({@link CWindow.Axis#firstInside},
 * {@link CWindow.Axis#endInside}) is computed here once so the C loops never test for padding. The
 * certificate bounds every partial sum in any order, so the order of the terms is free.
 */
final class CConvWriter {
    private CConvWriter() {}

    static void conv(COpWriter w, String fn, String params, ConvOp c, TensorInfo y) {
        StringBuilder out = w.out();
        CWindow g =
                CWindow.of(w.tensor(c.input()).shape(), y.shape(), c.kernel(), c.stride(), c.padding(), c.dilation());
        CWindow.Axis h = g.h();
        CWindow.Axis v = g.w();
        CSparseRows s = CSparseRows.of(c.weights(), c.outChannels());
        int nnz = s.tap().length;
        long[] ch = new long[nnz];
        long[] dy = new long[nnz];
        long[] dx = new long[nnz];
        long[] y0 = new long[nnz];
        long[] y1 = new long[nnz];
        long[] x0 = new long[nnz];
        long[] x1 = new long[nnz];
        for (int t = 0; t < nnz; t++) {
            int tap = (int) s.tap()[t];
            ch[t] = tap / (h.kernel() * v.kernel());
            dy[t] = h.offset((tap / v.kernel()) % h.kernel());
            dx[t] = v.offset(tap % v.kernel());
            // output rows/columns whose input position oy·stride + dy lies inside the input (the rest is zero padding)
            y0[t] = h.firstInside(dy[t]);
            y1[t] = h.endInside(dy[t]);
            x0[t] = v.firstInside(dx[t]);
            x1[t] = v.endInside(dx[t]);
        }
        CArrays.table(out, fn + "_w", s.w(), false);
        CArrays.table(out, fn + "_c", ch, true);
        CArrays.table(out, fn + "_dy", dy, false);
        CArrays.table(out, fn + "_dx", dx, false);
        CArrays.table(out, fn + "_y0", y0, true);
        CArrays.table(out, fn + "_y1", y1, true);
        CArrays.table(out, fn + "_x0", x0, true);
        CArrays.table(out, fn + "_x1", x1, true);
        CArrays.table(out, fn + "_row", s.ptr(), true);
        CArrays.table(out, fn + "_b", c.bias(), false);
        String acc = w.accumulator(c.name());
        int plane = h.out() * v.out();
        w.function(fn, params).append("    int o, oy, ox, p, t;\n");
        CLoops.open(out, 1, "o", 0, c.outChannels());
        out.append("        ")
                .append(acc)
                .append(" acc[")
                .append(plane)
                .append("]; /* ")
                .append(COpWriter.registerMark(c.name()))
                .append(" */\n")
                .append("        for (p = 0; p < ")
                .append(plane)
                .append("; p++) acc[p] = (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_b[o];\n");
        CLoops.open(out, 2, "t", "(int) " + fn + "_row[o]", "(int) " + fn + "_row[o + 1]");
        out.append("            const ")
                .append(acc)
                .append(" w = (")
                .append(acc)
                .append(") ")
                .append(fn)
                .append("_w[t];\n")
                .append("            const int64_t *xc = x + (int) ")
                .append(fn)
                .append("_c[t] * ")
                .append(h.in() * v.in())
                .append(";\n");
        CLoops.open(out, 3, "oy", "(int) " + fn + "_y0[t]", "(int) " + fn + "_y1[t]");
        out.append("                const int64_t *xr = xc + (oy * ")
                .append(h.stride())
                .append(" + ")
                .append(fn)
                .append("_dy[t]) * ")
                .append(v.in())
                .append(" + ")
                .append(fn)
                .append("_dx[t];\n")
                .append("                ")
                .append(acc)
                .append(" *ar = acc + oy * ")
                .append(v.out())
                .append(";\n");
        CLoops.open(out, 4, "ox", "(int) " + fn + "_x0[t]", "(int) " + fn + "_x1[t]");
        out.append("                    ar[ox] += w * (")
                .append(acc)
                .append(") xr[ox * ")
                .append(v.stride())
                .append("];\n");
        CLoops.close(out, 4, 2);
        out.append("        for (p = 0; p < ")
                .append(plane)
                .append("; p++) y[o * ")
                .append(plane)
                .append(" + p] = acc[p];\n")
                .append("    }\n    return 0;\n}\n");
    }
}
