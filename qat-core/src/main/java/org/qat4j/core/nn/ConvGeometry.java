package org.qat4j.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.qat4j.runtime.model.Shapes;

/**
 * A 1-D or 2-D convolution's geometry, the one for every method: kernel, stride, padding, dilation (one
 * entry per spatial axis), groups and filters. Weight {@code [filters, in/groups, k...]} as DJL's
 * convolutions; output length per axis {@link Shapes#windowOutputLength}
 * {@code ⌊(in + 2p − d(k − 1) − 1)/s⌋ + 1}.
 */
public record ConvGeometry(Shape kernel, Shape stride, Shape padding, Shape dilation, int groups, long filters)
        implements LayerGeometry {

    /** Number of spatial axes (1 or 2). */
    public int spatialRank() {
        return kernel.dimension();
    }

    /** {@code [filters, inChannels/groups, k...]}. */
    public Shape weightShape(long inChannels) {
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "input channels " + inChannels + " are not divisible by groups " + groups);
        }
        return new Shape(filters, inChannels / groups).addAll(kernel);
    }

    @Override
    public Shape weightShape(Shape input) {
        return weightShape(input.get(1));
    }

    /** Output shape {@code [N, filters, out...]} for input {@code [N, C, in...]}. */
    @Override
    public Shape outputShape(Shape input) {
        long[] out = new long[2 + kernel.dimension()];
        out[0] = input.get(0);
        out[1] = filters;
        for (int a = 0; a < kernel.dimension(); a++) {
            long in = input.get(2 + a);
            out[2 + a] = Shapes.windowOutputLength(in, kernel.get(a), stride.get(a), padding.get(a), dilation.get(a));
        }
        return new Shape(out);
    }

    @Override
    public long outputChannels() {
        return filters;
    }

    @Override
    public Shape channelBroadcastShape() {
        long[] s = new long[1 + kernel.dimension()];
        Arrays.fill(s, 1);
        s[0] = filters;
        return new Shape(s);
    }

    @Override
    public NDArray apply(NDArray x, NDArray w, NDArray b) {
        return (spatialRank() == 1
                        ? Conv1d.conv1d(x, w, b, stride, padding, dilation, groups)
                        : Conv2d.conv2d(x, w, b, stride, padding, dilation, groups))
                .singletonOrThrow();
    }

    /** Writes the geometry as A2Q's layers save it (rank and entries of each shape, groups, filters). */
    public void write(DataOutputStream os) throws IOException {
        for (Shape s : new Shape[] {kernel, stride, padding, dilation}) {
            os.writeInt(s.dimension());
            for (long v : s.getShape()) {
                os.writeLong(v);
            }
        }
        os.writeInt(groups);
        os.writeLong(filters);
    }

    /** Reads {@link #write}'s layout and fails, naming {@code layer}, unless it equals this geometry. */
    public void readAndCheck(DataInputStream is, String layer) throws IOException, MalformedModelException {
        Shape[] read = new Shape[4];
        for (int i = 0; i < 4; i++) {
            int d = is.readInt();
            if (d < 0 || d > 8) {
                throw new MalformedModelException(layer + ": bad geometry rank " + d);
            }
            long[] v = new long[d];
            for (int j = 0; j < d; j++) {
                v[j] = is.readLong();
            }
            read[i] = new Shape(v);
        }
        ConvGeometry other = new ConvGeometry(read[0], read[1], read[2], read[3], is.readInt(), is.readLong());
        if (!other.equals(this)) {
            throw new MalformedModelException(layer + ": file has geometry " + other + " but the block has " + this);
        }
    }

    /**
     * Builder of a convolution layer's geometry: filters and kernel shape required; stride 1, padding 0,
     * dilation 1, groups 1 by default. Layer builders forward their {@code setFilters},
     * {@code setKernelShape}, {@code optStride}, ... here.
     */
    public static final class Builder {
        private final int rank;
        private Shape kernel;
        private Shape stride;
        private Shape padding;
        private Shape dilation;
        private int groups = 1;
        private long filters = -1;

        /** A builder for {@code rank} spatial axes (1 or 2). */
        public Builder(int rank) {
            this.rank = rank;
        }

        public Builder setFilters(long filters) {
            this.filters = filters;
            return this;
        }

        public Builder setKernelShape(Shape kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder optStride(Shape stride) {
            this.stride = stride;
            return this;
        }

        public Builder optPadding(Shape padding) {
            this.padding = padding;
            return this;
        }

        public Builder optDilation(Shape dilation) {
            this.dilation = dilation;
            return this;
        }

        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Validates and builds; messages start with {@code layer} and name the setting and its value. */
        public ConvGeometry build(String layer) {
            if (filters < 1) {
                throw new IllegalArgumentException(layer + ": filters must be >= 1, got " + filters);
            }
            if (kernel == null || kernel.dimension() != rank) {
                throw new IllegalArgumentException(
                        layer + ": kernelShape must have " + rank + " dimension(s), got " + kernel);
            }
            long[] ones = new long[rank];
            Arrays.fill(ones, 1);
            Shape s = stride == null ? new Shape(ones) : stride;
            Shape p = padding == null ? new Shape(new long[rank]) : padding;
            Shape d = dilation == null ? new Shape(ones) : dilation;
            checkDims(layer, "kernelShape", kernel, 1);
            checkDims(layer, "stride", s, 1);
            checkDims(layer, "padding", p, 0);
            checkDims(layer, "dilation", d, 1);
            if (groups < 1) {
                throw new IllegalArgumentException(layer + ": groups must be >= 1, got " + groups);
            }
            return new ConvGeometry(kernel, s, p, d, groups, filters);
        }

        private void checkDims(String layer, String name, Shape s, long min) {
            if (s.dimension() != rank) {
                throw new IllegalArgumentException(
                        layer + ": " + name + " must have " + rank + " dimension(s), got " + s);
            }
            for (long v : s.getShape()) {
                if (v < min) {
                    throw new IllegalArgumentException(
                            layer + ": " + name + " entries must be >= " + min + ", got " + s);
                }
            }
        }
    }
}
