package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;

/**
 * The result of {@link FixedPointOps#fakeQuantizeUnbounded}: the fake-quantized values
 * {@code xq = R(x * 2^f) * 2^-f} with HGQ's gradients (arXiv 2405.00645, Section 4.1), and the integer
 * mantissas {@code m = R(x * 2^f)} they were built from.
 *
 * @param value the quantized values, recorded for autograd, attached to x's manager
 * @param mantissa the mantissas (x's type, no gradient), attached to x's manager, or null when not asked for
 */
public record TrainingQuantization(NDArray value, NDArray mantissa) {}
