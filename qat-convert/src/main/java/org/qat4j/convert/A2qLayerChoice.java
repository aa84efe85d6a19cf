package org.qat4j.convert;

import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * What one dense or convolution layer becomes under an A2Q-family policy: the constraint, M-bit
 * weights, an N-bit input and, when constrained, a P-bit accumulator whose bound
 * {@code ‖q‖₁ ≤ (2^(P−1)−1)·2^(σ−N)} (A2Q, arXiv 2308.13504, Eq. 13) or its sign-split form (A2Q+,
 * arXiv 2401.10432, Eq. 9) the layer keeps during training.
 *
 * @param variant A2Q, A2Q_PLUS or UNCONSTRAINED
 * @param weightBits M ∈ [2, 16]
 * @param inputBits N ∈ [2, 16]: the bits of the quantizer feeding this layer
 * @param accumulatorBits P ∈ [2, 32] for constrained layers (ignored when unconstrained)
 */
public record A2qLayerChoice(Variant variant, int weightBits, int inputBits, int accumulatorBits) {

    /** Validates the ranges; messages name the parameter and the value. */
    public A2qLayerChoice {
        if (variant == null) {
            throw new IllegalArgumentException("variant must not be null");
        }
        if (weightBits < 2 || weightBits > 16) {
            throw new IllegalArgumentException("weightBits (M) must be in [2, 16], got " + weightBits);
        }
        if (inputBits < 2 || inputBits > 16) {
            throw new IllegalArgumentException("inputBits (N) must be in [2, 16], got " + inputBits);
        }
        if (variant.isConstrained() && (accumulatorBits < 2 || accumulatorBits > 32)) {
            throw new IllegalArgumentException(
                    "accumulatorBits (P) must be in [2, 32] for " + variant + ", got " + accumulatorBits);
        }
    }

    /** @deprecated use the canonical constructor with {@link Variant}. */
    @Deprecated
    public A2qLayerChoice(org.qat4j.a2q.kernel.A2qVariant variant, int weightBits, int inputBits, int accumulatorBits) {
        this(variant.toVariant(), weightBits, inputBits, accumulatorBits);
    }

    /** An unconstrained layer with M-bit weights and N-bit inputs. */
    public static A2qLayerChoice unconstrained(int weightBits, int inputBits) {
        return new A2qLayerChoice(Variant.UNCONSTRAINED, weightBits, inputBits, 0);
    }
}
