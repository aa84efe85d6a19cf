package org.qat4j.a2q.export;

import org.qat4j.a2q.quant.ActivationQuantizer;

/**
 * What an A2Q export walk knows about a tensor's values: the activation quantizer whose integers
 * {@code q} it holds (the value is {@code q · s}), or null for a float tensor; and a quantizer already
 * emitted ahead of the max pools that precede its block ({@code max(Q(x)) = Q(max(x))}), so that block
 * does not quantize again.
 *
 * @param quantizer the quantizer of the integers, or null (float values)
 * @param hoisted the quantizer emitted ahead of the pools, or null
 */
public record A2qValues(ActivationQuantizer quantizer, ActivationQuantizer hoisted) {

    /** A float tensor. */
    public static final A2qValues FLOAT = new A2qValues(null, null);

    /** Integers of {@code q}. */
    public static A2qValues of(ActivationQuantizer q) {
        return new A2qValues(q, null);
    }
}
