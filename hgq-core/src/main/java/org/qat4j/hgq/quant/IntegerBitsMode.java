package org.qat4j.hgq.quant;

/**
 * Where a quantizer's integer bits come from (HGQ, arXiv 2405.00645, §4.2).
 *
 * <ul>
 *   <li>{@link #FROM_DATA}: HGQ v1. Activations record the min/max of their quantized values over
 *       the epoch (reset each epoch, re-derived by calibration) and the integer bits follow exactly;
 *       training applies no overflow. Weights take the exact integer bits of their own mantissas.
 *   <li>{@link #TRAINABLE}: HGQ2. Integer bits are a trainable parameter; values saturate (SAT or
 *       SAT_SYM) and clipped elements pass their gradient to the bound.
 * </ul>
 */
public enum IntegerBitsMode {
    FROM_DATA,
    TRAINABLE
}
