/**
 * Layer 1 of HGQ (arXiv 2405.00645): stateless fixed-point kernels on NDArrays — the exact inference
 * quantizer {@code R(x·2^f)·2^-f} with saturation or wrap, the training quantizer whose fractional
 * bits get the surrogate gradient {@code −ln2·(xq − x)} (eq. 6), and the exact integer rules that turn
 * recorded ranges and integer weights into formats ({@link org.qat4j.hgq.kernel.HgqBitRules}), and the
 * differentiable EBOPs estimate {@code Σ b_in·b_w} of the loss (§4.3, {@link org.qat4j.hgq.kernel.EbopsEstimate}). The
 * plain-Java reference they are tested against is {@code org.qat4j.runtime.fixed.FixedPoint}.
 */
package org.qat4j.hgq.kernel;
