package org.qat4j.a2q.nn;

import org.qat4j.a2q.quant.ActivationQuantizer;

/**
 * A block whose output is on an N-bit integer grid {@code x_int · s} ({@link QReLU}, {@link QIdentity}); a
 * constrained layer built with {@code optInputFrom(block)} reads N, σ and s from its quantizer.
 */
public interface QuantizedActivation {

    /** The quantizer that produced the block's output. */
    ActivationQuantizer getQuantizer();
}
