package org.qat4j.hgq.nn;

/**
 * Activations that keep a quantized layer's output exactly representable: ReLU and identity map
 * values on a fixed-point grid to the same grid (lookup-table activations are a known limit of the
 * HGQ reference, arXiv 2405.00645 §6, and are not offered).
 */
public enum HActivationType {
    IDENTITY,
    RELU
}
