package org.qat4j.hgq.nn;

import org.qat4j.hgq.quant.HgqQuantizerConfig;

/** Settings of an HGQ layer with weights, filled by {@link HgqLayerBuilder}, validated before it builds. */
final class HgqLayerSettings {
    boolean fusedBatchNorm;
    HActivationType activation = HActivationType.IDENTITY;
    float bnMomentum = 0.9f;
    float bnEpsilon = 1e-5f;
    double beta;
    HgqQuantizerConfig inputConfig = HgqQuantizerConfig.activations().build();
    HgqQuantizerConfig kernelConfig = HgqQuantizerConfig.weights().build();
    HgqQuantizerConfig biasConfig = HgqQuantizerConfig.weights().build();

    void validate(String layer) {
        if (!(bnMomentum >= 0 && bnMomentum < 1)) {
            throw new IllegalArgumentException(layer + ": batchNormMomentum must be in [0, 1), got " + bnMomentum);
        }
        if (!(bnEpsilon > 0)) {
            throw new IllegalArgumentException(layer + ": batchNormEpsilon must be > 0, got " + bnEpsilon);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException(layer + ": beta must be finite and >= 0, got " + beta);
        }
        if (inputConfig.role() != org.qat4j.hgq.quant.QuantizerRole.ACTIVATION) {
            throw new IllegalArgumentException(layer + ": inputQuantizer must be an activation quantizer"
                    + " (HgqQuantizerConfig.activations()), got role " + inputConfig.role());
        }
        if (kernelConfig.role() != org.qat4j.hgq.quant.QuantizerRole.WEIGHT
                || biasConfig.role() != org.qat4j.hgq.quant.QuantizerRole.WEIGHT) {
            throw new IllegalArgumentException(layer + ": kernelQuantizer and biasQuantizer must be weight"
                    + " quantizers (HgqQuantizerConfig.weights())");
        }
    }
}
