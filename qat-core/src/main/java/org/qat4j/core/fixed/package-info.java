/**
 * Fixed-point quantization of DJL NDArrays (HGQ, arXiv 2405.00645, Sections 3-4): the exact forward
 * {@link org.qat4j.core.fixed.FixedPointOps#quantize}, bit for bit equal to the pure-Java
 * {@code org.qat4j.runtime.fixed.FixedPoint}, and the training forward
 * {@link org.qat4j.core.fixed.FixedPointOps#fakeQuantize} with straight-through gradients for x, HGQ's
 * surrogate gradient {@code -ln2 (xq - x)} for the fractional bits and the clip bounds' gradients for the
 * integer bits. These are layer-1 kernels: stateless, no parameters; quantizers holding trainable bits
 * build on them.
 */
package org.qat4j.core.fixed;
