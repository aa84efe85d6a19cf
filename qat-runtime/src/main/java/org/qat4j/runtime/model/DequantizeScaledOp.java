package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code dequantize_scaled}: integer accumulators → float32, in this fixed order of IEEE float32
 * operations (no fused multiply-add), per element of channel {@code c}:
 * <pre>  m_c = inputScale * channelScale[c]        (float32 product)
 *   y   = ((float) acc) * m_c                   (float32 product; acc exact when |acc| ≤ 2^24)
 *   y   = y + bias[c]                           (float32 sum, when a bias is present)</pre>
 * The A2Q/A2Q+ post-scale (arXiv 2308.13504 §3: {@code ŵ = s_c·q}, so {@code ŵ·x̂ = s_c·s_x·(q·x)})
 * applied after the exact integer dot product; the DJL forward applies it in the same order.
 *
 * @param name output float tensor
 * @param input integer accumulators
 * @param inputScale s_x
 * @param channelScale s_c per output channel (length 1 or channels)
 * @param bias float32 bias per channel, or null
 */
public record DequantizeScaledOp(String name, String input, float inputScale, float[] channelScale, float[] bias)
        implements ModelOp {
    /** Validates scales. */
    public DequantizeScaledOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        if (!Float.isFinite(inputScale)) {
            throw new ModelFormatException(name + ".inputScale = " + inputScale + ": must be finite");
        }
        channelScale = channelScale.clone();
        for (int c = 0; c < channelScale.length; c++) {
            if (!Float.isFinite(channelScale[c])) {
                throw new ModelFormatException(
                        name + ".channelScale[" + c + "] = " + channelScale[c] + ": must be finite");
            }
        }
        bias = bias == null ? null : bias.clone();
    }

    @Override
    public float[] channelScale() {
        return channelScale.clone();
    }

    @Override
    public float[] bias() {
        return bias == null ? null : bias.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "dequantize_scaled";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.INT, field, input);
        int[] s = in.get(0).shape();
        int channels = s.length == 0 ? 1 : s[0];
        if (channelScale.length != 1 && channelScale.length != channels) {
            throw new ModelFormatException(field + ".channelScale: length " + channelScale.length
                    + " is neither 1 nor the channel count " + channels);
        }
        if (bias != null && bias.length != 1 && bias.length != channels) {
            throw new ModelFormatException(
                    field + ".bias: length " + bias.length + " is neither 1 nor the channel count " + channels);
        }
        return new TensorInfo(s, TensorKind.FLOAT);
    }
}
