package org.qat4j.export.verilog;

import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * The RTL of one element's {@code requantize_fixed}, {@code O(R(x · 2^−s))} into format f
 * (docs/fixed-point.md): an arithmetic shift right, the rounding increment computed from the dropped bits
 * per mode (or a left shift), then wrapping (keep the low bits) or saturation against the format's
 * mantissa limits. Every operand is written at the width it is used at (Verilator {@code -Wall} clean);
 * an unsigned format's result carries a literal 0 sign bit.
 */
final class Requantizer {
    private Requantizer() {}

    private static void decl(StringBuilder body, int width, String name, String expr) {
        body.append("    ")
                .append(VerilogWriter.wire(width, name))
                .append(" = ")
                .append(expr)
                .append(";\n");
    }

    /** Appends the element's wires to {@code body}; the result is a signed wire of f.width() bits, one more when unsigned. */
    static Sig write(StringBuilder body, String base, Sig x, int s, FixedFormat f, RoundingMode r, OverflowMode o) {
        int a = x.width();
        int b = f.width();
        int w = f.k() == 1 ? b : b + 1;
        boolean wrapDropsBits;
        String rn = base + "_r";
        int rw;
        StringBuilder shifted = new StringBuilder();
        if (s > 0) {
            int ew = Math.max(a, s) + 1;
            String xe = base + "_x";
            decl(shifted, ew, xe, VerilogWriter.ext(x, ew));
            String top = xe + "[" + (s - 1) + "]";
            String low = s > 1 ? "(|" + xe + "[" + (s - 2) + ":0])" : "1'b0";
            String neg = xe + "[" + (ew - 1) + "]";
            String above = "(" + top + " & " + low + ")";
            String tie = "(" + top + " & ~" + low + ")";
            String zero = "(~(" + top + " | " + low + "))";
            String inc = switch (r) {
                case RND -> top;
                case RND_CONV -> "(" + above + " | (" + tie + " & " + xe + "[" + s + "]))";
                case TRN -> "1'b0";
                case TRN_ZERO -> "(" + neg + " & ~" + zero + ")";
                case RND_ZERO -> "(" + above + " | (" + tie + " & " + neg + "))";
                case RND_INF -> "(" + above + " | (" + tie + " & ~" + neg + "))";
                case RND_MIN_INF -> above;
            };
            rw = ew;
            wrapDropsBits = o == OverflowMode.WRAP && rw > b;
            decl(shifted, rw, rn, "(" + xe + " >>> " + s + ") + $signed({" + (ew - 1) + "'d0, " + inc + "})");
        } else {
            rw = a - s;
            wrapDropsBits = o == OverflowMode.WRAP && rw > b;
            decl(shifted, rw, rn, s == 0 ? x.ref() : "{" + x.ref() + ", " + (-s) + "'d0}");
        }
        if (wrapDropsBits) {
            // wrapping keeps the low bits of the rounded value by definition: its high bits are read by nothing
            body.append("    // verilator lint_off UNUSEDSIGNAL\n")
                    .append(shifted)
                    .append("    // verilator lint_on UNUSEDSIGNAL\n");
        } else {
            body.append(shifted);
        }
        Sig rounded = new Sig(rn, rw);
        if (o == OverflowMode.WRAP) {
            String src = rw < b ? VerilogWriter.ext(rounded, b) : rn;
            decl(
                    body,
                    w,
                    base,
                    "$signed({" + (f.k() == 1 ? "" : "1'b0, ")
                            + (rw < b ? "{" + src + "}" : src + "[" + (b - 1) + ":0]") + "})");
            return new Sig(base, w, f.k() == 0);
        }
        long lo = f.minMantissa(o);
        long hi = f.maxMantissa();
        long rmin = rw >= 64 ? Long.MIN_VALUE : -(1L << (rw - 1));
        long rmax = rw >= 64 ? Long.MAX_VALUE : (1L << (rw - 1)) - 1;
        String e;
        if (rw >= w) {
            // selected only when lo <= value <= hi: the low w bits are the value (an unsigned one's sign bit is 0)
            e = f.k() == 1
                    ? "$signed(" + rn + "[" + (w - 1) + ":0])"
                    : "$signed({1'b0, " + rn + "[" + (b - 1) + ":0]})";
        } else if (f.k() == 1) {
            e = VerilogWriter.ext(rounded, w);
        } else {
            // rw < w and unsigned: selected only when value >= 0, so its sign bit is 0
            e = rw == 1 ? w + "'sd0" : "$signed({" + (w - rw + 1) + "'d0, " + rn + "[" + (rw - 2) + ":0]})";
        }
        if (rmax > hi) {
            e = "(" + rn + " > " + VerilogWriter.lit(hi, rw) + ") ? " + VerilogWriter.lit(hi, w) + " : " + e;
        }
        if (rmin < lo) {
            e = "(" + rn + " < " + VerilogWriter.lit(lo, rw) + ") ? " + VerilogWriter.lit(lo, w) + " : (" + e + ")";
        }
        decl(body, w, base, e);
        return new Sig(base, w, f.k() == 0);
    }
}
