package org.qat4j.runtime.check;

import java.util.List;

/**
 * The facts the checker recomputed for one accumulating op (dense, conv, add, avgpool), to be
 * compared with what the certificate states.
 *
 * @param name op name
 * @param op op type
 * @param method {@code A2Q}, {@code A2Q+} or {@code derived}
 * @param bits declared accumulator width P
 * @param granularity {@code element} or {@code channel}
 * @param inMin lower input bounds (for add: operand a, then b)
 * @param inMax upper input bounds
 * @param limit the A2Q/A2Q+ limit, −1 when unconstrained
 * @param channels per output channel (adders: per element)
 */
record RecomputedLayer(
        String name,
        String op,
        String method,
        int bits,
        String granularity,
        long[] inMin,
        long[] inMax,
        long limit,
        List<Channel> channels) {

    /**
     * One accumulator's facts.
     *
     * @param hash SHA-256 hex of its weights and bias, null for ops without weights
     * @param neg Σ negative contributions at the worst-case inputs
     * @param pos Σ positive contributions
     * @param l1 A2Q: ‖q‖₁, else −1
     * @param qPos A2Q+: Q⁺, else −1
     * @param qNeg A2Q+: Q⁻, else −1
     * @param holds whether every bound holds for this accumulator
     */
    record Channel(String hash, long neg, long pos, long l1, long qPos, long qNeg, boolean holds) {}
}
