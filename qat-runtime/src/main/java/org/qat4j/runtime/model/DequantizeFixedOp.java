package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code dequantize_fixed}: integer input on grids {@code 2^-frac} → float32 values
 * {@code (float) (m · 2^-frac)}: the product is exact in double (|m| < 2^53 is checked) and the one
 * rounding to float32 is IEEE round-to-nearest-even, exactly what a float32 graph holding the same
 * real value stores. Typically the model's output (the logits of an HGQ network's last dense layer).
 *
 * @param name output float tensor
 * @param input integer input
 * @param frac fraction bits per tensor, channel or element
 */
public record DequantizeFixedOp(String name, String input, int[] frac) implements ModelOp {
    /** Rejects nulls, copies arrays. */
    public DequantizeFixedOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        frac = frac.clone();
        for (int f : frac) {
            if (Math.abs(f) > 124) {
                throw new ModelFormatException(name + ".frac = " + f + ": must lie in [-124, 124]");
            }
        }
    }

    @Override
    public int[] frac() {
        return frac.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "dequantize_fixed";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.INT, field, input);
        Granularity.of(frac.length, in.get(0).shape(), field + ".frac");
        return new TensorInfo(in.get(0).shape(), TensorKind.FLOAT);
    }
}
