package org.qat4j.export.verilog;

/**
 * One integer tensor element in the generated RTL: a signed wire (or register) of {@code width} bits,
 * or the constant 0 (a pruned element, {@code name == null}).
 */
record Sig(String name, int width) {
    static final Sig ZERO = new Sig(null, 1);

    boolean zero() {
        return name == null;
    }

    String ref() {
        return zero() ? "1'sb0" : name;
    }
}
