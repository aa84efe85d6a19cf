package org.qat4j.runtime.cert;

import java.util.List;

/**
 * The overflow facts of one accumulating op: its input integer ranges, its declared accumulator
 * width and the per-channel intervals. For A2Q/A2Q+ layers also the integer limits the weights must
 * meet: A2Q {@code ‖q‖₁ ≤ ⌊T⌋}, {@code T = (2^(P−1)−1)·2^(σ−N)} (arXiv 2308.13504 eq. 13); A2Q+
 * {@code Q± ≤ ⌊T+/2⌋}, {@code T+ = (2^P−2)/(2^N−1)} (arXiv 2401.10432 §3).
 *
 * @param layer op name
 * @param op op type ({@code dense}, {@code conv2d}, {@code add}, {@code avgpool}…)
 * @param method {@code A2Q}, {@code A2Q+}, or {@code derived} (HGQ and unconstrained layers: the width is derived from the interval)
 * @param accumulatorBits declared signed accumulator width P
 * @param inputGranularity {@code element} (ranges per input position) or {@code channel} (conv: hull per input channel, 0 included when padded)
 * @param inputMin smallest input integer per position/channel (for adders: of operand a, then b)
 * @param inputMax largest input integer per position/channel
 * @param a2qLimit A2Q: ⌊T⌋ on ‖q‖₁; A2Q+: ⌊T+/2⌋ on each half; −1 otherwise
 * @param minimalBits the largest {@code signedBitsNeeded} over channels: the minimal register width of the layer
 * @param channels per-channel facts
 */
public record LayerCertificate(
        String layer,
        String op,
        String method,
        int accumulatorBits,
        String inputGranularity,
        long[] inputMin,
        long[] inputMax,
        long a2qLimit,
        int minimalBits,
        List<ChannelCertificate> channels) {

    /** Whether every channel holds. */
    public boolean holds() {
        return channels.stream().allMatch(ChannelCertificate::holds);
    }
}
