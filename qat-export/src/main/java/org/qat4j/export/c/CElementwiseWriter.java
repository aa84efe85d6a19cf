package org.qat4j.export.c;

import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.TensorInfo;
import org.qat4j.runtime.model.TensorKind;

/**
 * Element-by-element ops: {@code add} (in the certified accumulator type), {@code add_float} (one float32
 * addition), {@code relu} (integer, or float32 keeping NaN as the runtime does) and {@code flatten} (a copy).
 */
final class CElementwiseWriter {
    private CElementwiseWriter() {}

    /** One statement per element. */
    static void loop(COpWriter w, String fn, String params, TensorInfo y, String body) {
        w.elementLoop(fn, params, y);
        w.out().append("        ").append(body).append('\n');
        w.endElementLoop();
    }

    static void add(COpWriter w, String fn, String params, AddOp a, TensorInfo y) {
        String acc = w.accumulator(a.name());
        w.elementLoop(fn, params, y);
        w.out()
                .append("        ")
                .append(acc)
                .append(" acc; /* ")
                .append(COpWriter.registerMark(a.name()))
                .append(" */\n")
                .append("        acc = (")
                .append(acc)
                .append(") x[e] + (")
                .append(acc)
                .append(") x2[e];\n        y[e] = acc;\n");
        w.endElementLoop();
    }

    static void relu(COpWriter w, String fn, String params, TensorInfo y) {
        String body = y.kind() == TensorKind.FLOAT
                ? "y[e] = x[e] > 0.0f ? x[e] : (x[e] != x[e] ? x[e] : 0.0f);"
                : "y[e] = x[e] > 0 ? x[e] : 0;";
        loop(w, fn, params, y, body);
    }
}
