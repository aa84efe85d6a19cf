package org.qat4j.a2q.nn;

import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.nn.QuantizedLayerBuilder;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Builder settings every A2Q layer shares ({@link QLinear}, {@link QConv1d}, {@link QConv2d}), on the common
 * {@link QuantizedLayerBuilder}: {@code set*} required, {@code opt*} optional. A2Q / A2Q+ bound the accumulator
 * of P bits for N-bit inputs (arXiv 2308.13504 Eq. 13, arXiv 2401.10432 Eq. 9).
 *
 * @param <B> the concrete builder
 */
@SuppressWarnings("unchecked")
public abstract class QLayerBuilder<B extends QLayerBuilder<B>> extends QuantizedLayerBuilder<B> {
    Variant variant;
    int weightBits = -1;
    int accumulatorBits = -1;
    ActivationQuantizer ownedInput;
    QuantizedActivation inputFrom;
    float regularization = 1e-3f;

    /** A2Q, A2Q+ or UNCONSTRAINED (required). */
    public B setVariant(Variant variant) {
        this.variant = variant;
        return (B) this;
    }

    /** @deprecated use {@link #setVariant(Variant)} with {@link Variant}. */
    @Deprecated
    public B setVariant(org.qat4j.a2q.kernel.A2qVariant variant) {
        return setVariant(variant == null ? null : variant.toVariant());
    }

    /** M ∈ [2, 16] (required). */
    public B setWeightBits(int bits) {
        this.weightBits = bits;
        return (B) this;
    }

    /** P (required for A2Q / A2Q+). */
    public B optAccumulatorBits(int bits) {
        this.accumulatorBits = bits;
        return (B) this;
    }

    /** The layer quantizes its raw input with this quantizer (a child block, saved with the layer). */
    public B optInputQuantizer(ActivationQuantizer quantizer) {
        this.ownedInput = quantizer;
        return (B) this;
    }

    /** The input comes directly from this block, whose quantizer supplies N, σ and s_x. */
    public B optInputFrom(QuantizedActivation previous) {
        this.inputFrom = previous;
        return (B) this;
    }

    /** λ of the norm penalty {@code λ·Σ relu(g − T·s)} (default 1e-3; 0 disables). */
    public B optRegularization(float lambda) {
        this.regularization = lambda;
        return (B) this;
    }

    /** Validates the shared settings; {@code layer} names the layer in messages. */
    protected void validate(String layer) {
        if (variant == null) {
            throw new IllegalArgumentException(layer + ": variant is required (A2Q, A2Q_PLUS or UNCONSTRAINED)");
        }
        if (weightBits < 2 || weightBits > 16) {
            throw new IllegalArgumentException(layer + ": weightBits (M) must be in [2, 16], got " + weightBits);
        }
        if (ownedInput != null && inputFrom != null) {
            throw new IllegalArgumentException(layer + ": set either optInputQuantizer or optInputFrom, not both");
        }
        if (!(regularization >= 0) || Float.isInfinite(regularization)) {
            throw new IllegalArgumentException(
                    layer + ": regularization must be finite and >= 0, got " + regularization);
        }
        ActivationQuantizer in = ownedInput != null ? ownedInput : inputFrom == null ? null : inputFrom.getQuantizer();
        if (!variant.isConstrained()) {
            return;
        }
        if (in == null) {
            throw new IllegalArgumentException(layer + ": " + variant + " bounds the accumulator for N-bit inputs, "
                    + "so its input must be quantized: N and σ come from the input quantizer. Use "
                    + "optInputQuantizer(...) or optInputFrom(a QReLU/QIdentity), or variant UNCONSTRAINED");
        }
        if (accumulatorBits < 2 || accumulatorBits > 32) {
            throw new IllegalArgumentException(
                    layer + ": accumulatorBits (P) must be in [2, 32] for " + variant + ", got " + accumulatorBits);
        }
        boolean anyNonZero = variant == Variant.A2Q
                ? A2qBounds.maxL1A2q(accumulatorBits, in.getBits(), in.isSigned()) >= 1
                : A2qBounds.maxHalfSumA2qPlus(accumulatorBits, in.getBits()) >= 1;
        if (!anyNonZero) {
            throw new IllegalArgumentException(layer + ": accumulatorBits (P) = " + accumulatorBits
                    + " is too small for any non-zero weight with " + in.getBits() + "-bit "
                    + (in.isSigned() ? "signed" : "unsigned") + " inputs under " + variant);
        }
    }
}
