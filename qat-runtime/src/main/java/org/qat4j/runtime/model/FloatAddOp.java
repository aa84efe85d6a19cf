package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code add_float}: elementwise {@code a + b} of two FLOAT tensors of the same shape, one IEEE
 * float32 addition (round to nearest, ties to even), as PyTorch's CPU kernel adds two float32
 * tensors. It is the join of an A2Q/A2Q+ residual connection (arXiv 2308.13504): the branch results
 * are float values ({@code dequantize_scaled}), and only the same float32 sum reproduces the trained
 * graph bit for bit; the quantizer that follows bounds everything after it. No accumulator, no
 * certificate entry (like {@code avgpool_float}).
 *
 * @param name output tensor
 * @param a first input
 * @param b second input
 */
public record FloatAddOp(String name, String a, String b) implements ModelOp {
    /** Validates. */
    public FloatAddOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
    }

    @Override
    public List<String> inputs() {
        return List.of(a, b);
    }

    @Override
    public String opType() {
        return "add_float";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.FLOAT, field, a);
        ModelOp.requireKind(in.get(1), TensorKind.FLOAT, field, b);
        if (!java.util.Arrays.equals(in.get(0).shape(), in.get(1).shape())) {
            throw new ModelFormatException(field + ": shapes of '" + a + "' "
                    + Shapes.toString(in.get(0).shape()) + " and '" + b + "' "
                    + Shapes.toString(in.get(1).shape()) + " differ");
        }
        return in.get(0);
    }
}
