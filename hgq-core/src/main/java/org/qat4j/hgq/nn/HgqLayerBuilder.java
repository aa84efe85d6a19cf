package org.qat4j.hgq.nn;

import org.qat4j.core.nn.QuantizedLayerBuilder;
import org.qat4j.hgq.quant.HgqQuantizerConfig;

/**
 * Builder base of the HGQ layers with weights ({@link HDense}, {@link HConv1d}, {@link HConv2d}) in
 * DJL's style ({@code setX} required, {@code optX} optional), on the common {@link QuantizedLayerBuilder}.
 *
 * @param <B> the concrete builder
 */
@SuppressWarnings("unchecked")
public abstract class HgqLayerBuilder<B extends HgqLayerBuilder<B>> extends QuantizedLayerBuilder<B> {
    final HgqLayerSettings settings = new HgqLayerSettings();

    HgqLayerBuilder() {}

    /** Fold a batch norm into the kernel and bias during training (HGQ's *BatchNorm layers). */
    public B optFusedBatchNorm(boolean fused) {
        settings.fusedBatchNorm = fused;
        return (B) this;
    }

    public B optBatchNormMomentum(float momentum) {
        settings.bnMomentum = momentum;
        return (B) this;
    }

    public B optBatchNormEpsilon(float epsilon) {
        settings.bnEpsilon = epsilon;
        return (B) this;
    }

    /** Fused activation: identity (default) or ReLU. */
    public B optActivation(HActivationType activation) {
        settings.activation = java.util.Objects.requireNonNull(activation, "activation");
        return (B) this;
    }

    /** Initial β of the EBOPs term (default 0; a schedule usually sets it). */
    public B optBeta(double beta) {
        settings.beta = beta;
        return (B) this;
    }

    public B optInputQuantizer(HgqQuantizerConfig config) {
        settings.inputConfig = java.util.Objects.requireNonNull(config, "inputQuantizer");
        return (B) this;
    }

    public B optKernelQuantizer(HgqQuantizerConfig config) {
        settings.kernelConfig = java.util.Objects.requireNonNull(config, "kernelQuantizer");
        return (B) this;
    }

    public B optBiasQuantizer(HgqQuantizerConfig config) {
        settings.biasConfig = java.util.Objects.requireNonNull(config, "biasQuantizer");
        return (B) this;
    }
}
