package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code conv1d}/{@code conv2d} (groups = 1, zero padding, channels first):
 * {@code acc[o][p] = bias_o + Σ_{c, t} W[o][c][t] · x[c][p·stride + t·dilation − padding]}, with
 * padded positions contributing 0, accumulated in a signed register of {@code accumulatorBits} bits.
 * Input shape {@code [C, L]} or {@code [C, H, W]}; weights {@code [O][C][kL]} or {@code [O][C][kH][kW]}.
 * Same integer semantics as {@link DenseOp} per output position (HGQ arXiv 2405.00645 §10; A2Q
 * arXiv 2308.13504 treats each output channel's kernel as one dot product).
 *
 * @param name output tensor {@code [O, outL]} or {@code [O, outH, outW]}
 * @param input integer input
 * @param inChannels C
 * @param outChannels O
 * @param kernel kernel size per spatial axis (length 1 or 2)
 * @param stride stride per axis
 * @param padding zero padding per axis (both sides)
 * @param dilation dilation per axis
 * @param weights {@code O·C·Πkernel} integers
 * @param bias per output channel (zeros when absent)
 * @param accumulatorBits declared signed accumulator width P
 * @param constraint A2Q/A2Q+ constraint, or null
 */
public record ConvOp(
        String name,
        String input,
        int inChannels,
        int outChannels,
        int[] kernel,
        int[] stride,
        int[] padding,
        int[] dilation,
        int[] weights,
        long[] bias,
        int accumulatorBits,
        A2qConstraint constraint)
        implements ModelOp {

    /** Validates hyper-parameters and sizes (copies arrays). */
    public ConvOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        if (kernel.length != 1 && kernel.length != 2) {
            throw new ModelFormatException(
                    name + ".kernel: rank " + kernel.length + ", expected 1 (conv1d) or 2 (conv2d)");
        }
        int rank = kernel.length;
        kernel = LayerChecks.positive(kernel, rank, name + ".kernel");
        stride = LayerChecks.positive(stride, rank, name + ".stride");
        padding = LayerChecks.nonNegative(padding, rank, name + ".padding");
        dilation = LayerChecks.positive(dilation, rank, name + ".dilation");
        if (inChannels <= 0 || outChannels <= 0) {
            throw new ModelFormatException(
                    name + ": inChannels = " + inChannels + ", outChannels = " + outChannels + " must be positive");
        }
        long taps = (long) inChannels;
        for (int k : kernel) {
            taps *= k;
        }
        if (taps * outChannels != weights.length) {
            throw new ModelFormatException(name + ".weights: length " + weights.length
                    + " != outChannels × inChannels × kernel = " + outChannels + " × " + taps);
        }
        weights = weights.clone();
        bias = bias == null ? new long[outChannels] : bias.clone();
        if (bias.length != outChannels) {
            throw new ModelFormatException(name + ".bias: length " + bias.length + " != outChannels = " + outChannels);
        }
        LayerChecks.checkAccumulatorBits(name, accumulatorBits);
    }

    /** Number of weights per output channel (C·Πkernel). */
    public int taps() {
        return weights.length / outChannels;
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public int[] weights() {
        return weights.clone();
    }

    /**
     * The weights without a copy, read-only, in stored order: for passes over large layers (the
     * certificate checker) that must not duplicate them.
     */
    public java.nio.IntBuffer weightView() {
        return java.nio.IntBuffer.wrap(weights).asReadOnlyBuffer();
    }

    @Override
    public long[] bias() {
        return bias.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return kernel.length == 1 ? "conv1d" : "conv2d";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        TensorInfo x = in.get(0);
        ModelOp.requireKind(x, TensorKind.INT, field, input);
        int[] s = x.shape();
        if (s.length != kernel.length + 1 || s[0] != inChannels) {
            throw new ModelFormatException(field + ": input '" + input + "' has shape " + Shapes.toString(s)
                    + ", expected [" + inChannels + (kernel.length == 1 ? ", L]" : ", H, W]"));
        }
        int[] out = new int[s.length];
        out[0] = outChannels;
        for (int a = 0; a < kernel.length; a++) {
            out[a + 1] =
                    Shapes.windowOutput(s[a + 1], kernel[a], stride[a], padding[a], dilation[a], field + ".axis" + a);
        }
        return new TensorInfo(out, TensorKind.INT);
    }
}
