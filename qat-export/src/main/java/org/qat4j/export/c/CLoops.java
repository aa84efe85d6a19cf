package org.qat4j.export.c;

/**
 * C {@code for} loop nests of the generated ops, one statement per line at four spaces per depth: the
 * conv and pool writers walk the same channel/row/column nests, so the loop text is written here once.
 */
final class CLoops {
    private CLoops() {}

    /** {@code depth} levels of indentation. */
    static String indent(int depth) {
        return "    ".repeat(depth);
    }

    /** Opens <code>for (v = from; v &lt; to; v++) {</code> at {@code depth}. */
    static void open(StringBuilder out, int depth, String v, Object from, Object to) {
        out.append(indent(depth))
                .append("for (")
                .append(v)
                .append(" = ")
                .append(from)
                .append("; ")
                .append(v)
                .append(" < ")
                .append(to)
                .append("; ")
                .append(v)
                .append("++) {\n");
    }

    /** Closes the loops opened at depths {@code from}, {@code from − 1}, …, {@code to} (innermost first). */
    static void close(StringBuilder out, int from, int to) {
        for (int d = from; d >= to; d--) {
            out.append(indent(d)).append("}\n");
        }
    }
}
