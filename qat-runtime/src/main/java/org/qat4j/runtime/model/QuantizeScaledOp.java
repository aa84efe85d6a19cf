package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code quantize_scaled}: float32 input → N-bit integers with one float32 scale (the activation
 * quantizer of A2Q/A2Q+ networks, arXiv 2308.13504 §2): {@code q = clamp(rint(x / scale), lo, hi)},
 * where {@code x / scale} is one IEEE float32 division and {@code rint} rounds half to even (as
 * PyTorch {@code round}). Signed: {@code [−2^(N−1), 2^(N−1)−1]} ({@code [−2^(N−1)+1, …]} when narrow);
 * unsigned: {@code [0, 2^N − 1]}.
 *
 * @param name output tensor
 * @param input float input tensor
 * @param scale positive finite float32 scale
 * @param bits N
 * @param signed σ
 * @param narrow narrow signed range
 */
public record QuantizeScaledOp(String name, String input, float scale, int bits, boolean signed, boolean narrow)
        implements ModelOp {
    /** Validates scale and bits. */
    public QuantizeScaledOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new ModelFormatException(name + ".scale = " + scale + ": must be positive and finite");
        }
        if (bits < 1 || bits > 31 || (signed && bits < 2 && narrow)) {
            throw new ModelFormatException(name + ".bits = " + bits + ": must lie in [1, 31]");
        }
    }

    /** Smallest integer. */
    public long min() {
        if (!signed) {
            return 0;
        }
        return narrow ? -(1L << (bits - 1)) + 1 : -(1L << (bits - 1));
    }

    /** Largest integer. */
    public long max() {
        return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "quantize_scaled";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.FLOAT, field, input);
        return new TensorInfo(in.get(0).shape(), TensorKind.INT);
    }
}
