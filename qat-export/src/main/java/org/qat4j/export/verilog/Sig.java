package org.qat4j.export.verilog;

/**
 * One integer tensor element in the generated RTL: a signed wire (or register) of {@code width} bits,
 * or the constant 0 (a pruned element, {@code name == null}). {@code nonNegative}: its sign bit is
 * always 0 — written as a literal 0 (an unsigned format's mantissa, a ReLU output) — so sums read it
 * as unsigned, without the sign-bit inversion of {@link ConstantSum}.
 */
record Sig(String name, int width, boolean nonNegative) {
    static final Sig ZERO = new Sig(null, 1, true);

    Sig(String name, int width) {
        this(name, width, false);
    }

    boolean zero() {
        return name == null;
    }

    String ref() {
        return zero() ? "1'sb0" : name;
    }
}
