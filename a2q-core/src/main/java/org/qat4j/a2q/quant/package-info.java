/**
 * Layer 2 of A2Q / A2Q+: stateful quantizers that own their parameters. {@link org.qat4j.a2q.quant.A2qWeightQuantizer}
 * holds the float weights v and the per-channel {@code log2 g} and {@code log2 s} of weight-normalization
 * quantization (arXiv 2308.13504, Sec. 4; arXiv 2401.10432, Sec. 4); {@link org.qat4j.a2q.quant.ActivationQuantizer}
 * turns activations into N-bit integers with a learned scale. Both are DJL blocks so their parameters are saved
 * and restored with the model.
 */
package org.qat4j.a2q.quant;
