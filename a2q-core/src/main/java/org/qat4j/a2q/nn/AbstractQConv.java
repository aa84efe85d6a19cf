package org.qat4j.a2q.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Common part of {@link QConv1d} and {@link QConv2d}: a convolution with A2Q / A2Q+ / unconstrained integer
 * weights, one dot product of length {@code K = (in/groups)·Π kernel} per output channel and position,
 * {@code out = conv(x_int, q) · (s_x · s_c) + b_c} (order and exactness in {@link AbstractQLayer}; A2Q, arXiv
 * 2308.13504, Sec. 4). Zero padding pads the integer input with 0. Weight shape
 * {@code [filters, in/groups, kernel...]} as DJL's convolutions. A subclass names its spatial rank and DJL's
 * convolution op for that rank.
 */
public abstract class AbstractQConv extends AbstractQLayer {

    private final ConvGeometry geometry;

    protected AbstractQConv(ConvBuilder<?> b) {
        super(b, Math.toIntExact(b.geometry.filters()));
        this.geometry = b.geometry;
    }

    /** DJL's convolution of this rank on the integer input and the integer weights, without bias. */
    protected abstract NDArray convolve(NDArray xInt, NDArray q, ConvGeometry g);

    public ConvGeometry getGeometry() {
        return geometry;
    }

    @Override
    protected Shape weightShape(Shape input) {
        return geometry.weightShape(input.get(1));
    }

    @Override
    protected NDArray integerOp(NDArray xInt, NDArray q) {
        return convolve(xInt, q, geometry);
    }

    @Override
    protected Shape channelBroadcastShape() {
        long[] s = new long[1 + geometry.kernel().dimension()];
        java.util.Arrays.fill(s, 1);
        s[0] = geometry.filters();
        return new Shape(s);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {geometry.outputShape(inputShapes[0])};
    }

    @Override
    protected void saveLayerMetadata(DataOutputStream os) throws IOException {
        geometry.write(os);
    }

    @Override
    protected void loadLayerMetadata(DataInputStream is) throws IOException, MalformedModelException {
        geometry.readAndCheck(is, getClass().getSimpleName());
    }

    /**
     * Builder settings of a convolution: {@code setKernelShape}, {@code setFilters} required (with the layer
     * settings of {@link QLayerBuilder}); {@code optStride}, {@code optPadding}, {@code optDilation},
     * {@code optGroups}.
     */
    @SuppressWarnings("unchecked")
    public abstract static class ConvBuilder<B extends ConvBuilder<B>> extends QLayerBuilder<B> {
        private final ConvGeometry.Builder g;
        ConvGeometry geometry;

        ConvBuilder(int spatialRank) {
            this.g = new ConvGeometry.Builder(spatialRank);
        }

        public B setKernelShape(Shape kernel) {
            g.kernel = kernel;
            return (B) this;
        }

        public B setFilters(long filters) {
            g.filters = filters;
            return (B) this;
        }

        public B optStride(Shape stride) {
            g.stride = stride;
            return (B) this;
        }

        public B optPadding(Shape padding) {
            g.padding = padding;
            return (B) this;
        }

        public B optDilation(Shape dilation) {
            g.dilation = dilation;
            return (B) this;
        }

        public B optGroups(int groups) {
            g.groups = groups;
            return (B) this;
        }

        /** Validates the geometry and the layer settings; {@code layer} names the layer in messages. */
        void validateConv(String layer) {
            geometry = g.build(layer);
            validate(layer);
        }
    }
}
