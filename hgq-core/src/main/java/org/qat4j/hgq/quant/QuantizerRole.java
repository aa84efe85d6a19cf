package org.qat4j.hgq.quant;

/**
 * What a quantizer quantizes. Weights and biases are constants after training, so their exact
 * formats follow from their integer mantissas; activations vary with the input, so their integer
 * bits come from recorded ranges or are trained (HGQ, arXiv 2405.00645, §4.2).
 */
public enum QuantizerRole {
    /** A constant tensor (kernel or bias); bit axis 0 is the output channel. */
    WEIGHT,
    /** A data tensor of layout (batch, channel, ...); the batch axis always shares bits. */
    ACTIVATION
}
