package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code add}: elementwise {@code a + b} of two integer tensors of the same shape on the same grid (the
 * exporter aligns them first), in a signed register of {@code accumulatorBits} bits (an adder of a
 * residual connection, HGQ arXiv 2405.00645 §8 counts it as an adder).
 *
 * @param name output tensor
 * @param a first input
 * @param b second input
 * @param accumulatorBits declared signed width P of the sum
 */
public record AddOp(String name, String a, String b, int accumulatorBits) implements ModelOp {
    /** Validates. */
    public AddOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        LayerChecks.checkAccumulatorBits(name, accumulatorBits);
    }

    @Override
    public List<String> inputs() {
        return List.of(a, b);
    }

    @Override
    public String opType() {
        return "add";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.INT, field, a);
        ModelOp.requireKind(in.get(1), TensorKind.INT, field, b);
        if (!java.util.Arrays.equals(in.get(0).shape(), in.get(1).shape())) {
            throw new ModelFormatException(field + ": shapes of '" + a + "' "
                    + Shapes.toString(in.get(0).shape()) + " and '" + b + "' "
                    + Shapes.toString(in.get(1).shape()) + " differ");
        }
        return in.get(0);
    }
}
