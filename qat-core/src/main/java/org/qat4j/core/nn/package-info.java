/**
 * Method-independent DJL blocks that keep quantized values exact and that every exporter understands:
 * {@link org.qat4j.core.nn.QatPool} (max pooling, and average pooling over 2^n-element windows) and
 * {@link org.qat4j.core.nn.QatFlatten} (row-major flatten). They hold no parameters; their metadata
 * (kind and geometry) is saved with {@code Model.save} and checked on load.
 *
 * <p>The one template of a quantized layer with weights, for every method:
 * {@link org.qat4j.core.nn.AbstractQuantizedLayer} with its builder base
 * {@link org.qat4j.core.nn.QuantizedLayerBuilder} and its geometry
 * ({@link org.qat4j.core.nn.DenseGeometry}, {@link org.qat4j.core.nn.ConvGeometry}); HGQ's and A2Q's
 * layers subclass it.
 */
package org.qat4j.core.nn;
