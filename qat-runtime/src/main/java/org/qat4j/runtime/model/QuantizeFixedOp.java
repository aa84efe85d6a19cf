package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * {@code quantize_fixed}: float32 input → integer mantissas, per element
 * {@code m = overflow(round(x · 2^f))} in the element's format {@code (k, i, f)}, computed exactly on
 * the real value of {@code x} (HGQ, arXiv 2405.00645 §3; rounding and overflow modes as in HLS
 * fixed-point types). The value is {@code m · 2^-f}.
 *
 * @param name output tensor
 * @param input float input tensor
 * @param formats per-tensor, per-channel or per-element formats
 * @param rounding rounding mode
 * @param overflow overflow mode
 */
public record QuantizeFixedOp(
        String name, String input, FixedFormats formats, RoundingMode rounding, OverflowMode overflow)
        implements ModelOp {
    /** Rejects nulls. */
    public QuantizeFixedOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(formats, "formats");
        Objects.requireNonNull(rounding, "rounding");
        Objects.requireNonNull(overflow, "overflow");
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "quantize_fixed";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.FLOAT, field, input);
        Granularity.of(formats.length(), in.get(0).shape(), field + ".formats");
        return new TensorInfo(in.get(0).shape(), TensorKind.INT);
    }
}
