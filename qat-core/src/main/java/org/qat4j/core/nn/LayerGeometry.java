package org.qat4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The shape side of a quantized layer with weights, shared by every method (HGQ, arXiv 2405.00645 §3;
 * A2Q, arXiv 2308.13504 §4): the weight shape {@code [outputs, inputs/groups, taps...]} (DJL's layout),
 * the output shape, and the float operation {@code y = op(x, W) [+ b]} on already-quantized operands.
 * {@link DenseGeometry} and {@link ConvGeometry} are the two kinds.
 */
public sealed interface LayerGeometry permits DenseGeometry, ConvGeometry {

    /** Weight shape, output channel first, for an input of shape {@code input}. */
    Shape weightShape(Shape input);

    /** Output shape for an input of shape {@code input}. */
    Shape outputShape(Shape input);

    /** Number of output channels (units or filters). */
    long outputChannels();

    /** Shape that broadcasts a per-channel {@code [C]} vector against the output: {@code [C]}, {@code [C,1]}, ... */
    Shape channelBroadcastShape();

    /** {@code op(x, w) + b} with DJL's linear or convolution op; {@code b} may be null (no bias). */
    NDArray apply(NDArray x, NDArray w, NDArray b);
}
