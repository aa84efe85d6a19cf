package org.qat4j.a2q.quant;

import org.qat4j.runtime.bound.ChannelSums;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * A snapshot of one layer's quantized weights, as plain Java values for export, certificates and the command line:
 * per output channel the integers (flattened in C order over the non-output axes), the post-scale s, the pre-scale,
 * the A2Q+ pre-clipping zero point, {@code g/s} after the clamp to T, and whether that clamp was active.
 *
 * @param variant the constraint
 * @param weightBits M
 * @param accumulatorBits P (meaningless for UNCONSTRAINED)
 * @param inputBits N
 * @param inputSigned σ
 * @param bound the float32 bound T used in training (NaN for UNCONSTRAINED)
 * @param intWeights [channel][k]
 * @param scale s per channel
 * @param preScale per channel (NaN for UNCONSTRAINED)
 * @param preZeroPoint per channel (0 unless A2Q+)
 * @param gOverSClamped per channel (NaN for UNCONSTRAINED)
 * @param clampActive per channel: g/s exceeded T
 */
public record QuantizedWeights(
        Variant variant,
        int weightBits,
        int accumulatorBits,
        int inputBits,
        boolean inputSigned,
        float bound,
        long[][] intWeights,
        float[] scale,
        float[] preScale,
        float[] preZeroPoint,
        float[] gOverSClamped,
        boolean[] clampActive) {

    /** @deprecated use the canonical constructor with {@link Variant}. */
    @Deprecated
    public QuantizedWeights(
            org.qat4j.a2q.kernel.A2qVariant variant,
            int weightBits,
            int accumulatorBits,
            int inputBits,
            boolean inputSigned,
            float bound,
            long[][] intWeights,
            float[] scale,
            float[] preScale,
            float[] preZeroPoint,
            float[] gOverSClamped,
            boolean[] clampActive) {
        this(
                variant.toVariant(),
                weightBits,
                accumulatorBits,
                inputBits,
                inputSigned,
                bound,
                intWeights,
                scale,
                preScale,
                preZeroPoint,
                gOverSClamped,
                clampActive);
    }

    /** Number of output channels. */
    public int channels() {
        return intWeights.length;
    }

    /** ‖q_c‖₁, Q+ and Q− of channel c. */
    public ChannelSums sums(int channel) {
        return ChannelSums.of(intWeights[channel]);
    }
}
