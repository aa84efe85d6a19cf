/**
 * Method-independent DJL blocks that keep quantized values exact and that every exporter understands:
 * {@link org.qat4j.core.nn.QatPool} (max pooling, and average pooling over 2^n-element windows) and
 * {@link org.qat4j.core.nn.QatFlatten} (row-major flatten). They hold no parameters; their metadata
 * (kind and geometry) is saved with {@code Model.save} and checked on load.
 */
package org.qat4j.core.nn;
