package org.qat4j.export;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code qat predict} and of the generated C driver, so that {@code cmp} decides whether
 * two implementations agree: one line per sample, values separated by commas, integers in decimal,
 * floats as C's {@code printf("%.9g", (double) v)} prints them (9 significant digits always
 * distinguish two float32 values; IEEE 754-2008 §5.12.2). Java's {@code %g} differs from C's (no
 * trailing-zero removal, other exponent rules), so the C rules are written out here: round the exact
 * binary value to 9 significant digits, ties to even (glibc's default rounding mode); with decimal
 * exponent X, use {@code %e} style when {@code X < -4 || X >= 9}, else {@code %f} style; drop trailing
 * zeros and a trailing point; exponents have at least two digits; glibc spells non-finite values
 * {@code inf}, {@code -inf}, {@code nan}, {@code -nan}.
 *
 * <p>Input lines are the same shape: comma-separated float32 values in decimal, one sample per line;
 * blank lines are skipped.
 */
public final class PredictionFormat {
    private static final MathContext NINE = new MathContext(9, java.math.RoundingMode.HALF_EVEN);

    private PredictionFormat() {}

    /** {@code v} as C's {@code printf("%.9g", (double) v)} prints it. */
    public static String formatFloat(float v) {
        boolean negative = (Float.floatToRawIntBits(v) & 0x80000000) != 0;
        if (Float.isNaN(v)) {
            return negative ? "-nan" : "nan";
        }
        if (Float.isInfinite(v)) {
            return negative ? "-inf" : "inf";
        }
        if (v == 0f) {
            return negative ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal((double) v).round(NINE);
        int exponent = d.precision() - d.scale() - 1;
        String sign = negative ? "-" : "";
        if (exponent < -4 || exponent >= 9) {
            String digits = stripZeros(d.unscaledValue().abs().toString());
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int ax = Math.abs(exponent);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (ax < 10 ? "0" : "") + ax;
        }
        String plain = d.abs().setScale(Math.max(0, 8 - exponent)).toPlainString();
        if (plain.indexOf('.') >= 0) {
            plain = stripZeros(plain);
            if (plain.endsWith(".")) {
                plain = plain.substring(0, plain.length() - 1);
            }
        }
        return sign + plain;
    }

    private static String stripZeros(String s) {
        int end = s.length();
        while (end > 1 && s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end);
    }

    /** One output line of float values. */
    public static String line(float[] values, int offset, int count) {
        StringBuilder b = new StringBuilder(count * 12);
        for (int t = 0; t < count; t++) {
            if (t > 0) {
                b.append(',');
            }
            b.append(formatFloat(values[offset + t]));
        }
        return b.toString();
    }

    /** One output line of integer values. */
    public static String line(long[] values, int offset, int count) {
        StringBuilder b = new StringBuilder(count * 6);
        for (int t = 0; t < count; t++) {
            if (t > 0) {
                b.append(',');
            }
            b.append(values[offset + t]);
        }
        return b.toString();
    }

    /** One input line of float values, written so that C's {@code strtof} and Java read the same floats back. */
    public static String inputLine(float[] values, int offset, int count) {
        StringBuilder b = new StringBuilder(count * 14);
        for (int t = 0; t < count; t++) {
            if (t > 0) {
                b.append(',');
            }
            b.append(Float.toString(values[offset + t]));
        }
        return b.toString();
    }

    /**
     * Parses input text: one sample of {@code inputSize} float32 values per non-blank line.
     *
     * @param source the file or stream name for error messages, as the user gave it
     * @return the samples, sample-major
     * @throws ExportException naming the source, line and value of the first bad line
     */
    public static float[] parseInputs(List<String> lines, int inputSize, String source) {
        List<float[]> rows = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String l = lines.get(n).strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] tok = l.split(",", -1);
            if (tok.length != inputSize) {
                throw new ExportException(
                        source + " line " + (n + 1) + ": " + tok.length + " values, the model takes " + inputSize);
            }
            float[] row = new float[inputSize];
            for (int t = 0; t < inputSize; t++) {
                String v = tok[t].strip();
                try {
                    if (v.isEmpty() || !v.matches("[-+0-9.eE]+|[-+]?(?i:inf|infinity|nan)")) {
                        throw new NumberFormatException();
                    }
                    row[t] = parseFloat(v);
                } catch (NumberFormatException e) {
                    throw new ExportException(
                            source + " line " + (n + 1) + " value " + (t + 1) + " = '" + v + "': not a decimal number");
                }
            }
            rows.add(row);
        }
        float[] out = new float[rows.size() * inputSize];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, out, r * inputSize, inputSize);
        }
        return out;
    }

    private static float parseFloat(String v) {
        String lower = v.toLowerCase(java.util.Locale.ROOT);
        String body = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        boolean neg = lower.startsWith("-");
        if (body.equals("inf") || body.equals("infinity")) {
            return neg ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        if (body.equals("nan")) {
            return neg ? -Float.NaN : Float.NaN;
        }
        return Float.parseFloat(v);
    }
}
