package org.qat4j.runtime.model;

/**
 * How a per-tensor attribute (fixed-point format, fraction bits) is shared over a tensor: one value
 * for the whole tensor, one per channel (axis 0 of the per-sample shape, channels first), or one per
 * element. The granularity follows from the attribute's length: 1, the channel count, or the
 * element count (when the channel count equals the element count both readings coincide).
 */
public enum Granularity {
    TENSOR,
    CHANNEL,
    ELEMENT;

    /**
     * Maps an element index of a per-sample tensor to the index into an attribute array of length
     * {@code length}.
     *
     * @param length attribute length (1, channels, or elements)
     * @param shape per-sample shape, channels first
     * @param field field name for the error message
     * @return the granularity
     */
    public static Granularity of(int length, int[] shape, String field) {
        int numel = Shapes.numel(shape, field);
        if (length == 1) {
            return TENSOR;
        }
        if (length == numel) {
            return ELEMENT;
        }
        if (shape.length > 0 && length == shape[0]) {
            return CHANNEL;
        }
        throw new ModelFormatException(field + ": length " + length + " is neither 1, the channel count "
                + (shape.length > 0 ? shape[0] : 1) + ", nor the element count " + numel + " of shape "
                + Shapes.toString(shape));
    }

    /**
     * Expands a per-tensor/channel/element attribute into one value per element, by the groups of
     * {@link FormatTensor#groupIndex} (the one mapping from elements to shared attributes).
     */
    public static int[] expand(int[] values, int[] shape, String field) {
        int[] group = FormatTensor.groupIndex(shape, FormatTensor.groupShapeOf(values.length, shape, field), field);
        int[] out = new int[group.length];
        for (int e = 0; e < out.length; e++) {
            out[e] = values[group[e]];
        }
        return out;
    }
}
