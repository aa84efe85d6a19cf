package org.qat4j.core.method;

/**
 * Bit widths of one layer of a trained network, as a recipe reports them.
 *
 * @param name layer name
 * @param kind layer kind (e.g. {@code dense}, {@code conv2d})
 * @param weightBits widths of the weights (per weight for HGQ, uniform M for A2Q)
 * @param activationBits widths of the layer's input activations
 */
public record LayerBits(String name, String kind, BitStatistics weightBits, BitStatistics activationBits) {}
