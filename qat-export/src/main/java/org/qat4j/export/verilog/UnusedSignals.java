package org.qat4j.export.verilog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signals of a generated module body that nothing reads: an input element whose every weight is 0,
 * an accumulator or pipeline register feeding only pruned (zero-width) elements, {@code clk} when no
 * register stage was placed. They are dead logic (synthesis removes them), so they are sunk into one
 * wire with Verilator's documented idiom for intentionally unused signals ({@code lint_off UNUSEDSIGNAL}
 * around {@code wire unused_ok = &{1'b0, …}}), which keeps {@code verilator --lint-only -Wall} clean
 * without switching the warning off anywhere else. Reads are found on the generator's own text: names in
 * declaration heads, {@code assign} targets, {@code <=} targets and comments are not reads.
 */
final class UnusedSignals {
    private static final Pattern DECL =
            Pattern.compile("(?:wire|reg)(?: signed)? \\[\\d+:\\d+\\] ([A-Za-z_][A-Za-z0-9_]*)(?: \\[0:(\\d+)\\])?");
    private static final Pattern WRITES = Pattern.compile(
            "//[^\\n]*|(?:wire|reg)(?: signed)? \\[\\d+:\\d+\\] [A-Za-z_][A-Za-z0-9_]*(?: \\[0:\\d+\\])?"
                    + "|assign [A-Za-z_][A-Za-z0-9_]*(?:\\[\\d+\\])? =|[A-Za-z_][A-Za-z0-9_]* <=");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private UnusedSignals() {}

    /** Declared names of {@code body} (plus {@code extra}, e.g. clk) that nothing in {@code body} reads (an array as its elements). */
    static List<String> of(String body, List<String> extra) {
        Set<String> declared = new LinkedHashSet<>(extra);
        java.util.Map<String, Integer> arrays = new java.util.HashMap<>();
        Matcher d = DECL.matcher(body);
        while (d.find()) {
            declared.add(d.group(1));
            if (d.group(2) != null) {
                arrays.put(d.group(1), Integer.parseInt(d.group(2)) + 1);
            }
        }
        Set<String> read = new java.util.HashSet<>();
        Matcher n = NAME.matcher(WRITES.matcher(body).replaceAll(" "));
        while (n.find()) {
            read.add(n.group());
        }
        List<String> out = new ArrayList<>();
        for (String s : declared) {
            if (!read.contains(s)) {
                // an unpacked array is not an operand of a concatenation: its elements are
                Integer len = arrays.get(s);
                for (int i = 0; len != null && i < len; i++) {
                    out.add(s + "[" + i + "]");
                }
                if (len == null) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The sink for {@code unused} (empty text when there is none). */
    static String sink(List<String> unused) {
        if (unused.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(
                "\n    // read by nothing (pruned downstream or a zero weight column); Verilator's idiom for intended unused signals\n"
                        + "    // verilator lint_off UNUSEDSIGNAL\n    wire unused_ok = &{1'b0");
        for (String s : unused) {
            b.append(", ").append(s);
        }
        return b.append("};\n    // verilator lint_on UNUSEDSIGNAL\n").toString();
    }
}
