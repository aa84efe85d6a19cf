package org.qat4j.export.c;

import org.qat4j.runtime.model.SparqOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * {@code sparq} (SPARQ, arXiv 2105.11010 §3): the window is chosen in C (the lowest allowed shift s with
 * {@code x < 2^(s + n)}), not looked up, so the differential test compares two implementations; vSPARQ pairs
 * channels (2c, 2c+1). An input outside [0, 2^N − 1] (excluded by the certificate) returns QAT_ERROR_INEXACT.
 */
final class CSparqWriter {
    private CSparqWriter() {}

    static void sparq(COpWriter w, String fn, String params, SparqOp q, TensorInfo o) {
        StringBuilder out = w.out();
        int channels = o.shape()[0];
        int per = o.numel() / channels;
        int[] shifts = q.placements();
        int maxW = (1 << q.windowBits()) - 1;
        out.append("static const int ")
                .append(fn)
                .append("_shift[")
                .append(shifts.length)
                .append("] = {");
        for (int j = 0; j < shifts.length; j++) {
            out.append(j > 0 ? ", " : "").append(shifts[j]);
        }
        out.append("};\n");
        out.append("static int64_t ")
                .append(fn)
                .append("_trim(int64_t v) {\n    int j, s = ")
                .append(shifts[shifts.length - 1])
                .append(";\n    int64_t w;\n    for (j = 0; j < ")
                .append(shifts.length)
                .append("; j++) {\n")
                .append("        if (v < (INT64_C(1) << (")
                .append(fn)
                .append("_shift[j] + ")
                .append(q.windowBits())
                .append("))) {\n")
                .append("            s = ")
                .append(fn)
                .append("_shift[j];\n            break;\n        }\n    }\n    w = v >> s;\n");
        if (q.rounding()) {
            out.append("    if (s > 0) {\n        w += (v >> (s - 1)) & 1;\n        if (w > ")
                    .append(maxW)
                    .append(") w = ")
                    .append(maxW)
                    .append(";\n    }\n");
        }
        out.append("    return w << s;\n}\n");
        long top = (1L << q.inputBits()) - 1;
        w.elementLoop(fn, params, o);
        out.append("        if (x[e] < 0 || x[e] > ").append(top).append(") return QAT_ERROR_INEXACT;\n    }\n");
        if (!q.pairs()) {
            out.append("    for (e = 0; e < ")
                    .append(o.numel())
                    .append("; e++) y[e] = ")
                    .append(fn)
                    .append("_trim(x[e]);\n");
        } else {
            String a = "c * " + per + " + i";
            String b = "(c + 1) * " + per + " + i";
            out.append("    {\n        int c, i;\n        for (c = 0; c + 1 < ")
                    .append(channels)
                    .append("; c += 2) {\n")
                    .append("            for (i = 0; i < ")
                    .append(per)
                    .append("; i++) {\n")
                    .append("                int64_t a = x[")
                    .append(a)
                    .append("], b = x[")
                    .append(b)
                    .append("];\n")
                    .append("                int zero = a == 0 || b == 0;\n")
                    .append("                y[")
                    .append(a)
                    .append("] = zero ? a : ")
                    .append(fn)
                    .append("_trim(a);\n")
                    .append("                y[")
                    .append(b)
                    .append("] = zero ? b : ")
                    .append(fn)
                    .append("_trim(b);\n")
                    .append("            }\n        }\n");
            if (channels % 2 == 1) {
                out.append("        for (i = 0; i < ")
                        .append(per)
                        .append("; i++) y[")
                        .append((channels - 1) * per)
                        .append(" + i] = x[")
                        .append((channels - 1) * per)
                        .append(" + i];\n");
            }
            out.append("        (void) e;\n    }\n");
        }
        out.append("    return 0;\n}\n");
    }
}
