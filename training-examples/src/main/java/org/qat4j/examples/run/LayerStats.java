package org.qat4j.examples.run;

import org.qat4j.core.method.BitStatistics;

/**
 * Per-layer entry of {@code metrics.json}: bit-width statistics of weights and activations, and the
 * accumulator width the layer needs for its worst-case input (A2Q, arXiv 2308.13504 §3) against the
 * width it declares (P). Null fields are omitted from the JSON.
 *
 * @param name layer name
 * @param kind layer kind, e.g. {@code dense} or {@code conv2d}
 * @param weightBits statistics of the weights' widths, or null
 * @param activationBits statistics of the input activations' widths, or null
 * @param accumulatorBitsNeeded bits the worst-case accumulator needs, or null
 * @param accumulatorBitsDeclared the declared accumulator width P, or null
 */
public record LayerStats(
        String name,
        String kind,
        BitStatistics weightBits,
        BitStatistics activationBits,
        Integer accumulatorBitsNeeded,
        Integer accumulatorBitsDeclared) {

    /** Requires a name. */
    public LayerStats {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("layer name must not be blank");
        }
    }

    /** Whether the layer's declared accumulator holds its worst case (null if either is unknown). */
    public Boolean accumulatorFits() {
        if (accumulatorBitsNeeded == null || accumulatorBitsDeclared == null) {
            return null;
        }
        return accumulatorBitsNeeded <= accumulatorBitsDeclared;
    }
}
