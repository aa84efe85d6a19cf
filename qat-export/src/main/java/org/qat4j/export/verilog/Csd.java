package org.qat4j.export.verilog;

import java.util.ArrayList;
import java.util.List;

/**
 * Canonical signed-digit (non-adjacent) form of a constant: {@code w = Σ ±2^k} with no two adjacent
 * non-zero digits, the fewest non-zero digits of any signed-binary form (Reitwiesner 1960). A
 * multiplication by a constant becomes that many shifted adds or subtractions, which is what a fully
 * parallel datapath implements in LUTs.
 */
final class Csd {
    private Csd() {}

    /** One digit: {@code sign · 2^shift}. */
    record Digit(int shift, boolean negative) {}

    static List<Digit> of(long w) {
        List<Digit> out = new ArrayList<>();
        long v = w;
        int k = 0;
        while (v != 0) {
            if ((v & 1) != 0) {
                // v mod 4 == 3 → digit −1 (then v + 1 is divisible by 4), else +1
                boolean neg = (v & 3) == 3;
                out.add(new Digit(k, neg));
                v = neg ? v + 1 : v - 1;
            }
            v >>= 1;
            k++;
        }
        return out;
    }
}
