package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code flatten}: reshapes a per-sample tensor to rank 1 in row-major (C, H, W) order, as DJL's and
 * PyTorch's flatten of a channels-first tensor.
 *
 * @param name output tensor
 * @param input input tensor
 */
public record FlattenOp(String name, String input) implements ModelOp {
    /** Rejects nulls. */
    public FlattenOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "flatten";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        return new TensorInfo(new int[] {in.get(0).numel()}, in.get(0).kind());
    }
}
