package org.qat4j.a2q.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Common part of {@link QConv1d} and {@link QConv2d}: a convolution with A2Q / A2Q+ / unconstrained integer
 * weights, one dot product of length {@code K = (in/groups)·Π kernel} per output channel and position,
 * {@code out = conv(x_int, q) · (s_x · s_c) + b_c} (order and exactness in {@link AbstractQLayer}; A2Q, arXiv
 * 2308.13504, Sec. 4). Zero padding pads the integer input with 0. Weight shape
 * {@code [filters, in/groups, kernel...]} as DJL's convolutions; the geometry is the common
 * {@link org.qat4j.core.nn.ConvGeometry}.
 */
public abstract class AbstractQConv extends AbstractQLayer {

    protected AbstractQConv(ConvBuilder<?> b) {
        super(b, b.geometry);
    }

    @Override
    public org.qat4j.core.nn.ConvGeometry geometry() {
        return (org.qat4j.core.nn.ConvGeometry) super.geometry();
    }

    /** @deprecated the geometry is the common {@link #geometry()} ({@link org.qat4j.core.nn.ConvGeometry}). */
    @Deprecated
    public ConvGeometry getGeometry() {
        return ConvGeometry.of(geometry());
    }

    @Override
    protected void saveLayerMetadata(DataOutputStream os) throws IOException {
        geometry().write(os);
    }

    @Override
    protected void loadLayerMetadata(DataInputStream is) throws IOException, MalformedModelException {
        geometry().readAndCheck(is, getClass().getSimpleName());
    }

    /**
     * Builder settings of a convolution: {@code setKernelShape}, {@code setFilters} required (with the layer
     * settings of {@link QLayerBuilder}); {@code optStride}, {@code optPadding}, {@code optDilation},
     * {@code optGroups} ({@link org.qat4j.core.nn.ConvGeometry.Builder}).
     */
    @SuppressWarnings("unchecked")
    public abstract static class ConvBuilder<B extends ConvBuilder<B>> extends QLayerBuilder<B> {
        private final org.qat4j.core.nn.ConvGeometry.Builder g;
        org.qat4j.core.nn.ConvGeometry geometry;

        ConvBuilder(int spatialRank) {
            this.g = new org.qat4j.core.nn.ConvGeometry.Builder(spatialRank);
        }

        public B setKernelShape(Shape kernel) {
            g.setKernelShape(kernel);
            return (B) this;
        }

        public B setFilters(long filters) {
            g.setFilters(filters);
            return (B) this;
        }

        public B optStride(Shape stride) {
            g.optStride(stride);
            return (B) this;
        }

        public B optPadding(Shape padding) {
            g.optPadding(padding);
            return (B) this;
        }

        public B optDilation(Shape dilation) {
            g.optDilation(dilation);
            return (B) this;
        }

        public B optGroups(int groups) {
            g.optGroups(groups);
            return (B) this;
        }

        /** Validates the geometry and the layer settings; {@code layer} names the layer in messages. */
        void validateConv(String layer) {
            geometry = g.build(layer);
            validate(layer);
        }
    }
}
