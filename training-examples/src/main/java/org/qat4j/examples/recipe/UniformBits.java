package org.qat4j.examples.recipe;

import java.math.BigInteger;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.quant.BitGranularity;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.hgq.quant.IntegerBitsMode;
import org.qat4j.runtime.fixed.OverflowMode;

/**
 * The uniform fixed-point baseline of an HGQ recipe: the same network with one fixed B-bit format
 * {@code (k, i, f)}, {@code k + i + f = B}, per weight tensor and one fixed A-bit format per activation tensor
 * (A = B unless {@code --uniform-act-bits} says otherwise: the WxAy cells of a PTQ table), values saturating
 * at the format's bounds, as in a QKeras {@code quantized_bits(B, i)} network. Built from the HGQ
 * quantizer's own settings (arXiv 2405.00645, §4): per-tensor granularity, integer bits in the
 * trainable-i mode, and the ranges of f and i pinned to one value, so the clip after every optimizer
 * step holds the bits fixed; no bit L1 term, and the recipe trains with β = 0.
 *
 * <p>Integer bits, chosen by what the tensors hold rather than learned:
 * <ul>
 *   <li>kernel weights: signed, the smallest i with {@code 2^i ≥ 4·sqrt(2/fanIn)}, four standard deviations of
 *       DJL's default He initialization (Gaussian, {@code σ² = 2/fanIn}), f = B − 1 − i;
 *   <li>biases: signed, i = 0, range [−1, 1), f = B − 1;
 *   <li>pixels x/255 ∈ [0, 1]: unsigned, i = 0, f = A (1.0 saturates to 1 − 2^−A);
 *   <li>ReLU outputs: unsigned, i = 2 (HGQ's default starting i0), f = A − 2;
 *   <li>standardized features: signed, i = 2, f = A − 3.
 * </ul>
 *
 * @param bits B, the width of every weight and bias format
 * @param activationBits A, the width of every input and activation format
 */
public record UniformBits(int bits, int activationBits) {

    /** Smallest B accepted: a signed weight needs a sign bit and one more. */
    public static final int MIN_BITS = 2;
    /** Largest B accepted: fractional bits stay exact in float32 training arithmetic. */
    public static final int MAX_BITS = 16;
    /** Integer bits of ReLU outputs and standardized features. */
    static final int ACTIVATION_INTEGER_BITS = 2;

    /** What a layer's input holds, which decides its sign bit and integer bits. */
    public enum Input {
        /** x/255 pixels in [0, 1]. */
        PIXELS,
        /** Outputs of a ReLU (possibly pooled): non-negative. */
        RELU,
        /** Standardized features: signed, mostly within ±4. */
        STANDARDIZED
    }

    /** Validates B and A, naming the options. */
    public UniformBits {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException(
                    "--uniform-bits must be in [" + MIN_BITS + ", " + MAX_BITS + "], got " + bits);
        }
        if (activationBits < MIN_BITS || activationBits > MAX_BITS) {
            throw new IllegalArgumentException(
                    "--uniform-act-bits must be in [" + MIN_BITS + ", " + MAX_BITS + "], got " + activationBits);
        }
    }

    /** Weights, biases and activations at B bits. */
    public UniformBits(int bits) {
        this(bits, bits);
    }

    /** The format of biases: signed, i = 0, f = B − 1. */
    public HgqQuantizerConfig biases() {
        return pinned(HgqQuantizerConfig.weights(), true, 0, bits - 1);
    }

    /** The format of the kernel of a layer with {@code fanIn} inputs per output: signed, i from the init scale. */
    public HgqQuantizerConfig kernel(long fanIn) {
        int i = kernelIntegerBits(fanIn);
        return pinned(HgqQuantizerConfig.weights(), true, i, bits - 1 - i);
    }

    /**
     * The smallest i with {@code 2^i ≥ 4·sqrt(2/fanIn)}, i.e. {@code fanIn·4^i ≥ 32}, decided in exact integer
     * arithmetic.
     */
    static int kernelIntegerBits(long fanIn) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fanIn must be >= 1, got " + fanIn);
        }
        int i = -HgqQuantizerConfig.FLOAT32_MAX_INTEGER_BITS;
        while (i < HgqQuantizerConfig.FLOAT32_MAX_INTEGER_BITS && !coversFourSigma(fanIn, i)) {
            i++;
        }
        return i;
    }

    private static boolean coversFourSigma(long fanIn, int i) {
        // fanIn·4^i ≥ 32  ⇔  fanIn ≥ 32·4^(−i) for i < 0
        BigInteger left = BigInteger.valueOf(fanIn);
        BigInteger right = BigInteger.valueOf(32);
        if (i >= 0) {
            left = left.shiftLeft(2 * i);
        } else {
            right = right.shiftLeft(-2 * i);
        }
        return left.compareTo(right) >= 0;
    }

    /** The format of a layer's input. */
    public HgqQuantizerConfig input(Input input) {
        switch (input) {
            case PIXELS:
                return pinned(HgqQuantizerConfig.activations(), false, 0, activationBits);
            case RELU:
                return pinned(
                        HgqQuantizerConfig.activations(),
                        false,
                        ACTIVATION_INTEGER_BITS,
                        activationBits - ACTIVATION_INTEGER_BITS);
            default:
                return pinned(
                        HgqQuantizerConfig.activations(),
                        true,
                        ACTIVATION_INTEGER_BITS,
                        activationBits - 1 - ACTIVATION_INTEGER_BITS);
        }
    }

    /** Sets the input, kernel and bias formats of a dense layer with {@code fanIn} inputs. */
    public HDense.Builder apply(HDense.Builder layer, Input input, long fanIn) {
        return layer.optInputQuantizer(input(input))
                .optKernelQuantizer(kernel(fanIn))
                .optBiasQuantizer(biases());
    }

    /** Sets the input, kernel and bias formats of a 2-D convolution with {@code fanIn} = C_in·k_h·k_w. */
    public HConv2d.Builder apply(HConv2d.Builder layer, Input input, long fanIn) {
        return layer.optInputQuantizer(input(input))
                .optKernelQuantizer(kernel(fanIn))
                .optBiasQuantizer(biases());
    }

    private static HgqQuantizerConfig pinned(
            HgqQuantizerConfig.Builder b, boolean signed, int integerBits, int fractionalBits) {
        return b.optGranularity(BitGranularity.PER_TENSOR)
                .optIntegerBits(IntegerBitsMode.TRAINABLE)
                .optOverflow(OverflowMode.SAT)
                .optSigned(signed)
                .optIntegerBitsRange(integerBits, integerBits)
                .optInitialIntegerBits(integerBits)
                .optFractionalBitsRange(fractionalBits, fractionalBits)
                .optInitialFractionalBits(fractionalBits)
                .optBitL1(0)
                .build();
    }
}
