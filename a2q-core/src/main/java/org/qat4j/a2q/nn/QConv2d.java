package org.qat4j.a2q.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A 2-D convolution (NCHW) with A2Q / A2Q+ / unconstrained integer weights, one dot product of length
 * {@code K = (in/groups)·kh·kw} per output channel and position:
 * {@code out = conv(x_int, q) · (s_x · s_c) + b_c} (order and exactness in {@link AbstractQLayer}). Zero padding pads
 * the integer input with 0. Weight shape {@code [filters, in/groups, kh, kw]} as DJL's {@code Conv2d}.
 */
public final class QConv2d extends AbstractQLayer {

    private final ConvGeometry geometry;

    private QConv2d(Builder b) {
        super(b, Math.toIntExact(b.geometry.filters()));
        this.geometry = b.geometry;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ConvGeometry getGeometry() {
        return geometry;
    }

    @Override
    protected Shape weightShape(Shape input) {
        return geometry.weightShape(input.get(1));
    }

    @Override
    protected NDArray integerOp(NDArray xInt, NDArray q) {
        return Conv2d.conv2d(xInt, q, null, geometry.stride(), geometry.padding(), geometry.dilation(),
                geometry.groups()).head();
    }

    @Override
    protected Shape channelBroadcastShape() {
        return new Shape(geometry.filters(), 1, 1);
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
        geometry.readAndCheck(is, "QConv2d");
    }

    /** Builder: {@code setKernelShape}, {@code setFilters}, {@code setVariant}, {@code setWeightBits} required. */
    public static final class Builder extends QLayerBuilder<Builder> {
        private final ConvGeometry.Builder g = new ConvGeometry.Builder(2);
        private ConvGeometry geometry;

        public Builder setKernelShape(Shape kernel) {
            g.kernel = kernel;
            return this;
        }

        public Builder setFilters(long filters) {
            g.filters = filters;
            return this;
        }

        public Builder optStride(Shape stride) {
            g.stride = stride;
            return this;
        }

        public Builder optPadding(Shape padding) {
            g.padding = padding;
            return this;
        }

        public Builder optDilation(Shape dilation) {
            g.dilation = dilation;
            return this;
        }

        public Builder optGroups(int groups) {
            g.groups = groups;
            return this;
        }

        public QConv2d build() {
            geometry = g.build("QConv2d");
            validate("QConv2d");
            return new QConv2d(this);
        }
    }
}
