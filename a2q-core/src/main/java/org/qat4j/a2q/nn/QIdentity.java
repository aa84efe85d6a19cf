package org.qat4j.a2q.nn;

import org.qat4j.a2q.quant.ActivationQuantizer;

/**
 * An N-bit activation quantizer without a nonlinearity: {@code clamp(round(x/s), x_min, x_max)·s}, signed by
 * default (σ = 1 in A2Q's bound, arXiv 2308.13504, Sec. 3); unsigned when built so (e.g. after pooling of ReLU
 * outputs).
 */
public final class QIdentity extends AbstractQuantizedActivation {

    public QIdentity(ActivationQuantizer quantizer) {
        super(quantizer);
    }

    /** An N-bit signed QIdentity with default calibration. */
    public static QIdentity signed(int bits) {
        return new QIdentity(
                ActivationQuantizer.builder().setBits(bits).optSigned(true).build());
    }

    /** An N-bit unsigned QIdentity with default calibration. */
    public static QIdentity unsigned(int bits) {
        return new QIdentity(
                ActivationQuantizer.builder().setBits(bits).optSigned(false).build());
    }
}
