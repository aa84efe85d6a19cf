package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code relu}: {@code max(0, x)} elementwise, on integers (exact on any grid) or on float32 values.
 *
 * @param name output tensor
 * @param input input tensor
 */
public record ReluOp(String name, String input) implements ModelOp {
    /** Rejects nulls. */
    public ReluOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "relu";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        return in.get(0);
    }
}
