package org.qat4j.a2q.nn;

import ai.djl.ndarray.types.Shape;

/**
 * The geometry of a convolution: kernel, stride, padding, dilation (one entry per spatial axis), groups and
 * filters.
 *
 * @deprecated one geometry serves every method: {@link org.qat4j.core.nn.ConvGeometry} (same components, and the
 *     layer's {@code geometry()}); {@link #toCommon()} converts.
 */
@Deprecated
public record ConvGeometry(Shape kernel, Shape stride, Shape padding, Shape dilation, int groups, long filters) {

    /** The deprecated twin of {@code g}. */
    public static ConvGeometry of(org.qat4j.core.nn.ConvGeometry g) {
        return new ConvGeometry(g.kernel(), g.stride(), g.padding(), g.dilation(), g.groups(), g.filters());
    }

    /** The same geometry as {@link org.qat4j.core.nn.ConvGeometry}. */
    public org.qat4j.core.nn.ConvGeometry toCommon() {
        return new org.qat4j.core.nn.ConvGeometry(kernel, stride, padding, dilation, groups, filters);
    }

    /** {@code [filters, inChannels/groups, k...]}. */
    public Shape weightShape(long inChannels) {
        return toCommon().weightShape(inChannels);
    }

    /** Output shape {@code [N, filters, out...]} for input {@code [N, C, in...]}. */
    public Shape outputShape(Shape input) {
        return toCommon().outputShape(input);
    }
}
