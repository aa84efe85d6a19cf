package org.qat4j.a2q.quant;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Quantizes one float weight tensor (output channel first) with A2Q / A2Q+ at its initialization, without training:
 * {@code s = absmax/(2^(M−1)−1)}, {@code g = ‖v‖₁}, optional EP-init, then the integer weights of
 * {@link A2qWeightQuantizer} (arXiv 2308.13504, Sec. 4; arXiv 2401.10432, Sec. 4). The same code path and float32
 * order as training, so the integers equal those of a freshly initialized layer.
 */
public final class PostTrainingWeightQuantization {

    private PostTrainingWeightQuantization() {}

    /** @deprecated use the overload taking {@link Variant}. */
    @Deprecated
    public static QuantizedWeights quantize(
            float[] weights,
            long[] shape,
            org.qat4j.a2q.kernel.A2qVariant variant,
            int accumulatorBits,
            int inputBits,
            boolean inputSigned,
            int weightBits,
            boolean epInit) {
        return quantize(
                weights, shape, variant.toVariant(), accumulatorBits, inputBits, inputSigned, weightBits, epInit);
    }

    /**
     * @param weights the float32 values in C order
     * @param shape {@code [out, in]} or {@code [out, in, kh, kw]} (any rank ≥ 2 with output channels first)
     * @throws IllegalArgumentException on a bad setting, naming it and its value, including a P too small for any
     *     non-zero weight
     */
    public static QuantizedWeights quantize(
            float[] weights,
            long[] shape,
            Variant variant,
            int accumulatorBits,
            int inputBits,
            boolean inputSigned,
            int weightBits,
            boolean epInit) {
        if (!variant.isConstrained()) {
            throw new IllegalArgumentException("method must be a2q or a2q+, got " + variant.cliName());
        }
        if (weightBits < 2 || weightBits > 16) {
            throw new IllegalArgumentException("weight bits (M) must be in [2, 16], got " + weightBits);
        }
        if (inputBits < 1 || inputBits > 16) {
            throw new IllegalArgumentException("input bits (N) must be in [1, 16], got " + inputBits);
        }
        if (accumulatorBits < 2 || accumulatorBits > 32) {
            throw new IllegalArgumentException("accumulator bits (P) must be in [2, 32], got " + accumulatorBits);
        }
        boolean anyNonZero = variant == Variant.A2Q
                ? A2qBounds.maxL1A2q(accumulatorBits, inputBits, inputSigned) >= 1
                : A2qBounds.maxHalfSumA2qPlus(accumulatorBits, inputBits) >= 1;
        if (!anyNonZero) {
            throw new IllegalArgumentException("accumulator bits (P) = " + accumulatorBits + " is too small for any"
                    + " non-zero weight with " + inputBits + "-bit " + (inputSigned ? "signed" : "unsigned")
                    + " inputs under " + variant.cliName() + " (bound T = "
                    + (variant == Variant.A2Q
                            ? A2qBounds.tA2q(accumulatorBits, inputBits, inputSigned)
                            : A2qBounds.tA2qPlus(accumulatorBits, inputBits))
                    + (variant == Variant.A2Q ? " < 1)" : ", T/2 < 1)"));
        }
        if (shape.length < 2) {
            throw new IllegalArgumentException(
                    "weights must have rank >= 2 (output channels first), got rank " + shape.length);
        }
        for (float w : weights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("weights contain a non-finite value " + w);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            A2qWeightQuantizer q = new A2qWeightQuantizer(variant, weightBits, accumulatorBits);
            Shape s = new Shape(shape);
            q.initialize(m, DataType.FLOAT32, s);
            q.loadFloatWeights(m.create(weights, s));
            if (epInit) {
                q.epInit(inputBits, inputSigned);
            }
            return q.snapshot(inputBits, inputSigned);
        }
    }
}
