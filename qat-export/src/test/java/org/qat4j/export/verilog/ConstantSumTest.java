package org.qat4j.export.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The terms of a {@link ConstantSum} form a balanced tree of parenthesized pairs (nesting depth
 * ⌈log₂ n⌉ for n terms, so an event-driven simulator re-evaluates O(log n) adders per changed operand),
 * every term appears once in order, and no source line holds more than {@value ConstantSum#TERMS_PER_LINE}
 * terms.
 */
class ConstantSumTest {

    @Test
    void termsFormABalancedTreeInOrder() {
        for (int n = 1; n <= 300; n++) {
            ConstantSum s = new ConstantSum(40, 3, x -> "u_" + x.name());
            for (int i = 0; i < n; i++) {
                s.add(1, new Sig("x" + i, 6, true));
            }
            String e = s.expression();
            assertTrue(e.startsWith("40'h3 + "), e);
            int depth = 0;
            int max = 0;
            for (char c : e.toCharArray()) {
                if (c == '(') {
                    max = Math.max(max, ++depth);
                } else if (c == ')') {
                    depth--;
                }
            }
            assertEquals(0, depth, e);
            assertEquals(32 - Integer.numberOfLeadingZeros(n - 1), max, "n = " + n);
            int from = 0;
            for (int i = 0; i < n; i++) {
                int at = e.indexOf("{34'd0, x" + i + "[5:0]}", from);
                assertTrue(at > from, "term " + i + " of " + n + " in order");
                from = at;
            }
            for (String line : e.split("\n")) {
                assertTrue(line.split("\\{", -1).length - 1 <= ConstantSum.TERMS_PER_LINE, line);
            }
        }
    }

    @Test
    void signedOperandsAreFlippedAndNegativeDigitsComplemented() {
        // -3·x = -4·x + 1·x (CSD digits 2^0 and -2^2) for a 4-bit signed x: u = x with its sign bit inverted
        String e = new ConstantSum(12, 0, x -> "f_" + x.name())
                .add(-3, new Sig("x", 4))
                .expression();
        assertTrue(e.contains("{8'd0, f_x[3:0]}"), e);
        assertTrue(e.contains("{6'd0, ~f_x[3:0], 2'd0}"), e);
    }

    @Test
    void noTermsIsTheConstantAlone() {
        assertEquals(
                "8'h5", new ConstantSum(8, 5, x -> "u").add(0, new Sig("x", 3)).expression());
    }
}
