package org.qat4j.runtime.cert;

/**
 * How an activation quantizer treats values outside its range (HGQ arXiv 2405.00645 §3: SAT clips,
 * WRAP wraps in two's complement), with the span of its output widths. A {@code sparq} op (SPARQ, arXiv
 * 2105.11010) is a dynamic quantizer: its widths are the window's n and, with vSPARQ pairs, the kept N bits; its
 * rounding is {@code RND} (half up on the bit below the window) or {@code TRN}, its overflow {@code SAT} (in the
 * window), and it states the allowed window shifts.
 *
 * @param layer op name
 * @param op {@code quantize_fixed}, {@code requantize_fixed}, {@code quantize_scaled} or {@code sparq}
 * @param rounding rounding mode name (scaled: {@code RND_CONV}, half to even)
 * @param overflow overflow mode name (scaled: {@code SAT})
 * @param minWidth smallest output width (bits, sign included)
 * @param maxWidth largest output width
 * @param placements {@code sparq}: the allowed window shifts; null for the other quantizers
 */
public record QuantizerCertificate(
        String layer, String op, String rounding, String overflow, int minWidth, int maxWidth, int[] placements) {

    /** A quantizer without window placements. */
    public QuantizerCertificate(String layer, String op, String rounding, String overflow, int minWidth, int maxWidth) {
        this(layer, op, rounding, overflow, minWidth, maxWidth, null);
    }
}
