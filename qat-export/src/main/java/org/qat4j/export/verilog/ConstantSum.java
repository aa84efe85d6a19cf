package org.qat4j.export.verilog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code bias + Σ c_i·x_i} modulo 2^P written as one constant plus unsigned, zero-extended bit vectors,
 * so no operand is sign-extended to the accumulator's width (the sign-extension elimination of
 * hardware multi-operand adders; Koren, "Computer Arithmetic Algorithms", §5). A b-bit two's-complement
 * {@code x} equals {@code u − 2^(b−1)} with {@code u = x} with its sign bit inverted (unsigned); an
 * {@code x} whose sign bit is always 0 (a literal 0 in the generated RTL) is read as unsigned as it is. Each product is the canonical signed
 * digits of the constant ({@link Csd}): {@code +2^k·x = 2^k·u + 2^k·off} and {@code −2^k·x =
 * 2^k·(~u) − 2^k·(2^n − 1) − 2^k·off} (n the bits of u, ~u its n-bit complement); every constant part
 * folds into one P-bit literal. Modulo 2^P the sum is exact, and the certificate bounds the true sum
 * (and every partial sum) inside P signed bits, so the P-bit result read as signed is the sum. Yosys
 * maps the sum to one carry-save tree ({@code alumacc}/{@code maccmap}) whose columns hold only
 * operand bits, not sign copies. The terms are added as a balanced tree of parenthesized pairs, not as one
 * left-to-right chain: addition modulo 2^P is associative, so the value and the {@code $macc} Yosys
 * extracts are the same, but an event-driven simulator re-evaluates only the log₂(n) adders above a
 * changed operand instead of every adder after it (Icarus on the 784-64-10 export: 29 s per sample as a
 * chain, 0.4 s as a tree). The terms go {@value #TERMS_PER_LINE} to a line: Verilator refuses a line of
 * more than 40,000 preprocessor tokens, which one accumulator of a 784-input layer exceeds on one line.
 */
final class ConstantSum {
    /** Terms per source line (about 13 tokens each). */
    static final int TERMS_PER_LINE = 8;

    private final int p;
    private final Function<Sig, String> flipped;
    private long constant;
    private final List<String> terms = new ArrayList<>();

    /**
     * @param p accumulator width (1…64)
     * @param bias the constant term
     * @param flipped declares (once) and names the n-bit wire {@code u} of a signed signal: its bits with the sign bit inverted
     */
    ConstantSum(int p, long bias, Function<Sig, String> flipped) {
        if (p < 1 || p > 64) {
            throw new IllegalArgumentException("accumulator width " + p + " outside 1..64");
        }
        this.p = p;
        this.constant = bias;
        this.flipped = flipped;
    }

    private static long shifted(long v, int k) {
        return k >= 64 ? 0 : v << k;
    }

    /** Adds {@code c·x} (nothing for a pruned x or c = 0). */
    ConstantSum add(long c, Sig x) {
        if (x.zero() || c == 0) {
            return this;
        }
        int n = x.width();
        String u = x.nonNegative() ? x.ref() : flipped.apply(x);
        long off = x.nonNegative() ? 0 : -shifted(1, n - 1);
        long ones = n >= 64 ? -1L : (1L << n) - 1;
        for (Csd.Digit d : Csd.of(c)) {
            int k = d.shift();
            if (k >= p) {
                continue;
            }
            if (d.negative()) {
                constant -= shifted(ones, k) + shifted(off, k);
            } else {
                constant += shifted(off, k);
            }
            int m = Math.min(n, p - k);
            StringBuilder t = new StringBuilder("{");
            if (p - k - m > 0) {
                t.append(p - k - m).append("'d0, ");
            }
            t.append(d.negative() ? "~" : "")
                    .append(u)
                    .append('[')
                    .append(m - 1)
                    .append(":0]");
            if (k > 0) {
                t.append(", ").append(k).append("'d0");
            }
            terms.add(t.append('}').toString());
        }
        return this;
    }

    /** The P-bit unsigned expression: the constant plus the balanced tree of the terms. */
    String expression() {
        long masked = p == 64 ? constant : constant & ((1L << p) - 1);
        StringBuilder e = new StringBuilder().append(p).append("'h").append(Long.toHexString(masked));
        if (!terms.isEmpty()) {
            e.append(" + ");
            tree(e, 0, terms.size());
        }
        return e.toString();
    }

    /** Terms [from, to) as nested pairs; a line break before every {@value #TERMS_PER_LINE}th term. */
    private void tree(StringBuilder e, int from, int to) {
        if (to - from == 1) {
            if (from > 0 && from % TERMS_PER_LINE == 0) {
                e.append("\n        ");
            }
            e.append(terms.get(from));
            return;
        }
        int mid = (from + to) >>> 1;
        e.append('(');
        tree(e, from, mid);
        e.append(" + ");
        tree(e, mid, to);
        e.append(')');
    }
}
