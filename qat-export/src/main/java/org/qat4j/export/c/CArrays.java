package org.qat4j.export.c;

/**
 * Constant tables of generated C: the narrowest {@code <stdint.h>} type that holds every value, and
 * the initializer text (C99 has no literal for {@code INT64_MIN}, so it is written as an expression).
 */
final class CArrays {
    private CArrays() {}

    /** The narrowest signed type holding every value (unsigned for non-negative index tables). */
    static String type(long[] values, boolean unsignedIfPossible) {
        long min = 0;
        long max = 0;
        for (long v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (unsignedIfPossible && min >= 0) {
            return max <= 0xff ? "uint8_t" : max <= 0xffff ? "uint16_t" : max <= 0xffffffffL ? "uint32_t" : "uint64_t";
        }
        if (min >= Byte.MIN_VALUE && max <= Byte.MAX_VALUE) {
            return "int8_t";
        }
        if (min >= Short.MIN_VALUE && max <= Short.MAX_VALUE) {
            return "int16_t";
        }
        if (min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE) {
            return "int32_t";
        }
        return "int64_t";
    }

    /** An integer literal of any long value. */
    static String literal(long v) {
        if (v == Long.MIN_VALUE) {
            return "(-INT64_C(9223372036854775807) - 1)";
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            return "INT64_C(" + v + ")";
        }
        return Long.toString(v);
    }

    /** {@code static const T name[n] = {...};} of the narrowest type (one dummy 0 for an empty table). */
    static String table(StringBuilder out, String name, long[] values, boolean unsignedIfPossible) {
        long[] v = values.length == 0 ? new long[] {0} : values;
        String type = type(v, unsignedIfPossible);
        out.append("static const ")
                .append(type)
                .append(' ')
                .append(name)
                .append('[')
                .append(v.length)
                .append("] = {");
        for (int t = 0; t < v.length; t++) {
            out.append(t % 16 == 0 ? "\n    " : " ").append(literal(v[t])).append(t + 1 < v.length ? "," : "");
        }
        out.append("\n};\n");
        return type;
    }

    /** {@code static const float name[n]} with exact hexadecimal literals. */
    static void floatTable(StringBuilder out, String name, float[] values) {
        out.append("static const float ")
                .append(name)
                .append('[')
                .append(values.length)
                .append("] = {");
        for (int t = 0; t < values.length; t++) {
            out.append(t % 8 == 0 ? "\n    " : " ")
                    .append(floatLiteral(values[t]))
                    .append(t + 1 < values.length ? "," : "");
        }
        out.append("\n};\n");
    }

    /** {@code static const double name[n]} with exact hexadecimal literals. */
    static void doubleTable(StringBuilder out, String name, double[] values) {
        out.append("static const double ")
                .append(name)
                .append('[')
                .append(values.length)
                .append("] = {");
        for (int t = 0; t < values.length; t++) {
            out.append(t % 8 == 0 ? "\n    " : " ")
                    .append(Double.toHexString(values[t]))
                    .append(t + 1 < values.length ? "," : "");
        }
        out.append("\n};\n");
    }

    /** An exact float32 literal (C99 hexadecimal floating constant). */
    static String floatLiteral(float f) {
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("not finite: " + f);
        }
        return Float.toHexString(f) + "f";
    }

    static long[] widen(int[] v) {
        long[] out = new long[v.length];
        for (int t = 0; t < v.length; t++) {
            out[t] = v[t];
        }
        return out;
    }
}
