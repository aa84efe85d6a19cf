package org.qat4j.convert;

/** Chooses the A2Q variant and bit widths of each dense/convolution layer of a converted model. */
@FunctionalInterface
public interface A2qLayerRule {

    /** The choice for the layer at {@code site}. */
    A2qLayerChoice choose(LayerSite site);
}
