package org.qat4j.core.export.graph;

import java.util.Objects;

/**
 * The tensor an export walk has reached: its name in the integer model, its per-sample shape
 * (channels first, no batch axis) and what the method knows about its values ({@code S}: for HGQ the
 * fraction bits per element, for A2Q the quantizer whose integers it holds). Immutable: a handler
 * returns the tensor its block produced.
 *
 * @param name tensor name in the model under construction
 * @param shape per-sample shape
 * @param state the method's view of the values (may be null, e.g. a float tensor)
 * @param <S> the method's state type
 */
public record ExportTensor<S>(String name, int[] shape, S state) {

    /** Validates and copies. */
    public ExportTensor {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements per sample. */
    public int numel() {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The same values under another name (an op that changes neither shape nor meaning). */
    public ExportTensor<S> named(String newName) {
        return new ExportTensor<>(newName, shape, state);
    }

    /** The same shape with another name and state. */
    public ExportTensor<S> with(String newName, S newState) {
        return new ExportTensor<>(newName, shape, newState);
    }
}
