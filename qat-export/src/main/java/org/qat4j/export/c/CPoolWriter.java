package org.qat4j.export.c;

import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * {@code maxpool}, {@code avgpool} (the integer window sum, in the certified accumulator type) and
 * {@code avgpool_float} (float32 sum in window order from {@code 0.0f}, then one division by the window
 * size), output-major over an unpadded window: the element order of the runtime's {@code PoolGeometry}.
 */
final class CPoolWriter {
    private CPoolWriter() {}

    static void pool(COpWriter w, String fn, String params, PoolOp p, TensorInfo y) {
        StringBuilder out = w.out();
        CWindow g = CWindow.unpadded(w.tensor(p.input()).shape(), y.shape(), p.window(), p.stride());
        CWindow.Axis h = g.h();
        CWindow.Axis v = g.w();
        String acc;
        String init;
        String step;
        String result;
        switch (p.kind()) {
            case MAX -> {
                acc = "int64_t";
                init = "INT64_MIN";
                step = "if (v > acc) acc = v;";
                result = "acc";
            }
            case AVG -> {
                acc = w.accumulator(p.name());
                init = "0";
                step = "acc += (" + acc + ") v;";
                result = "acc";
            }
            default -> {
                acc = "float";
                init = "0.0f";
                step = "acc = acc + v;";
                result = "acc / " + CArrays.floatLiteral((float) p.windowSize());
            }
        }
        String vType = p.kind() == PoolOp.Kind.FLOAT_AVG ? "float" : "int64_t";
        String decl = p.kind() == PoolOp.Kind.AVG
                ? acc + " acc; /* " + COpWriter.registerMark(p.name()) + " */"
                : acc + " acc;";
        w.function(fn, params).append("    int c, oy, ox, ty, tx;\n");
        CLoops.open(out, 1, "c", 0, y.shape()[0]);
        CLoops.open(out, 2, "oy", 0, h.out());
        CLoops.open(out, 3, "ox", 0, v.out());
        out.append("                ")
                .append(decl)
                .append("\n                acc = ")
                .append(init)
                .append(";\n");
        CLoops.open(out, 4, "ty", 0, h.kernel());
        CLoops.open(out, 5, "tx", 0, v.kernel());
        out.append("                        ")
                .append(vType)
                .append(" v = x[(c * ")
                .append(h.in())
                .append(" + oy * ")
                .append(h.stride())
                .append(" + ty) * ")
                .append(v.in())
                .append(" + ox * ")
                .append(v.stride())
                .append(" + tx];\n")
                .append("                        ")
                .append(step)
                .append('\n');
        CLoops.close(out, 5, 4);
        out.append("                y[(c * ")
                .append(h.out())
                .append(" + oy) * ")
                .append(v.out())
                .append(" + ox] = ")
                .append(result)
                .append(";\n");
        CLoops.close(out, 3, 1);
        out.append("    return 0;\n}\n");
    }
}
