package org.qat4j.runtime.model;

import java.util.Arrays;

/**
 * Per-sample shape (channels first, no batch axis) and kind of one named tensor of the graph.
 *
 * @param shape per-sample shape
 * @param kind integer or float
 */
public record TensorInfo(int[] shape, TensorKind kind) {
    /** Copies the shape. */
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Element count per sample. */
    public int numel() {
        return Shapes.numel(shape, "shape");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && Arrays.equals(shape, t.shape) && kind == t.kind;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + kind.hashCode();
    }

    @Override
    public String toString() {
        return kind + Arrays.toString(shape);
    }
}
