package org.qat4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * A fully connected layer's geometry: {@code y = x·Wᵀ [+ b]}, weight {@code [units, in]} as DJL's
 * {@code Linear}, input {@code [..., in]}.
 *
 * @param units output features (≥ 1)
 */
public record DenseGeometry(long units) implements LayerGeometry {

    /** Validates units. */
    public DenseGeometry {
        if (units < 1) {
            throw new IllegalArgumentException("units must be >= 1, got " + units);
        }
    }

    @Override
    public Shape weightShape(Shape input) {
        return new Shape(units, input.get(input.dimension() - 1));
    }

    @Override
    public Shape outputShape(Shape input) {
        return input.slice(0, input.dimension() - 1).add(units);
    }

    @Override
    public long outputChannels() {
        return units;
    }

    @Override
    public Shape channelBroadcastShape() {
        return new Shape(units);
    }

    @Override
    public NDArray apply(NDArray x, NDArray w, NDArray b) {
        return (b == null ? Linear.linear(x, w) : Linear.linear(x, w, b)).singletonOrThrow();
    }
}
