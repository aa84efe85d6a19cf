/**
 * Layer 2 of HGQ (arXiv 2405.00645, §3–4): {@link org.qat4j.hgq.quant.HgqQuantizer}, a block owning
 * trainable fractional bits at per-element, per-channel or per-tensor granularity, integer bits from
 * recorded ranges (HGQ v1, reset every epoch, re-derived by calibration) or trained in saturating modes
 * (HGQ2), the bit L1 term and the post-step clipping to float32-exact ranges; plus the exported views
 * ({@link org.qat4j.hgq.quant.QuantizerFormats}, {@link org.qat4j.hgq.quant.QuantizedConstant}).
 */
package org.qat4j.hgq.quant;
