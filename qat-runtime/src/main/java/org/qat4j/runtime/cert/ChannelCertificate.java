package org.qat4j.runtime.cert;

/**
 * The overflow facts of one dot product (one output channel of a dense/conv layer, one element of
 * an adder, one channel of an average pool): every partial sum, in any accumulation order, lies in
 * {@code [negativeSum, positiveSum]} — the sums of all negative and of all positive contributions at
 * the worst-case inputs (exact verification as in FINN/qonnx; A2Q arXiv 2308.13504 §3).
 *
 * @param channel output channel (or element for adders)
 * @param weightSha256 SHA-256 (hex) of the channel's weights (int32 LE) then its bias (int64 LE); null without weights
 * @param negativeSum Σ of negative contributions (≤ 0)
 * @param positiveSum Σ of positive contributions (≥ 0)
 * @param bitsNeeded FINN's width: unsigned {@code ceil(log2(max+1))} if min ≥ 0, else signed {@code ceil(log2(max(−min, 1+max)))+1}
 * @param signedBitsNeeded smallest signed register width holding the interval
 * @param holds whether the interval fits the declared signed register (and the A2Q/A2Q+ bound, if any)
 * @param l1Norm A2Q: ‖q_c‖₁, else −1
 * @param positiveWeightSum A2Q+: Q+ = Σ_{q>0} q, else −1
 * @param negativeWeightSum A2Q+: Q− = Σ_{q<0} |q|, else −1
 */
public record ChannelCertificate(
        int channel,
        String weightSha256,
        long negativeSum,
        long positiveSum,
        int bitsNeeded,
        int signedBitsNeeded,
        boolean holds,
        long l1Norm,
        long positiveWeightSum,
        long negativeWeightSum) {}
