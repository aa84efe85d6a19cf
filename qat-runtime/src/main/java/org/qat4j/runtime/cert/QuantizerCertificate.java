package org.qat4j.runtime.cert;

/**
 * How an activation quantizer treats values outside its range (HGQ arXiv 2405.00645 §3: SAT clips,
 * WRAP wraps in two's complement), with the span of its output widths.
 *
 * @param layer op name
 * @param op {@code quantize_fixed}, {@code requantize_fixed} or {@code quantize_scaled}
 * @param rounding rounding mode name (scaled: {@code RND_CONV}, half to even)
 * @param overflow overflow mode name (scaled: {@code SAT})
 * @param minWidth smallest output width (bits, sign included)
 * @param maxWidth largest output width
 */
public record QuantizerCertificate(String layer, String op, String rounding, String overflow, int minWidth, int maxWidth) {}
