package org.qat4j.hgq.quant;

/**
 * How many values share one set of bit parameters (HGQ, arXiv 2405.00645, §3.2: "high granularity").
 *
 * <ul>
 *   <li>{@link #PER_ELEMENT}: one format per weight, or per activation position shared over the batch
 *       (the batch axis 0 always shares).
 *   <li>{@link #PER_CHANNEL}: one format per channel (weights: output channel axis 0; activations:
 *       axis 1, NC... layout).
 *   <li>{@link #PER_TENSOR}: one format for the whole tensor (the layer).
 * </ul>
 */
public enum BitGranularity {
    PER_ELEMENT,
    PER_CHANNEL,
    PER_TENSOR
}
