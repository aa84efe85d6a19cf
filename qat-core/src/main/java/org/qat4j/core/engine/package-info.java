/**
 * Facts about the engine that training relies on, checked rather than assumed: {@link
 * org.qat4j.core.engine.ConvolutionGradientCheck} holds PyTorch's float32 convolution and its gradients to
 * exact integer references.
 */
package org.qat4j.core.engine;
