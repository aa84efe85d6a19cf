package org.qat4j.a2q.nn;

import org.qat4j.a2q.quant.ActivationQuantizer;

/**
 * ReLU followed by an unsigned N-bit activation quantizer: {@code clamp(round(relu(x)/s), 0, 2^N−1)·s}
 * (the unsigned input format of A2Q, arXiv 2308.13504, Sec. 3, σ = 0). The quantizer's clamp at 0 is the ReLU:
 * {@code clamp(round(x/s), 0, hi) = clamp(round(relu(x)/s), 0, hi)} with the same gradients (zero for x &lt; 0), so
 * no separate ReLU kernel runs.
 */
public final class QReLU extends AbstractQuantizedActivation {

    /** N-bit unsigned output with the given calibration steps (see {@link ActivationQuantizer}). */
    public QReLU(ActivationQuantizer quantizer) {
        super(requireUnsigned(quantizer));
    }

    /** An N-bit unsigned QReLU with default calibration. */
    public static QReLU of(int bits) {
        return new QReLU(
                ActivationQuantizer.builder().setBits(bits).optSigned(false).build());
    }

    private static ActivationQuantizer requireUnsigned(ActivationQuantizer quantizer) {
        if (quantizer.isSigned()) {
            throw new IllegalArgumentException(
                    "QReLU needs an unsigned quantizer (its output is >= 0), got " + quantizer);
        }
        return quantizer;
    }
}
