package org.qat4j.a2q.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.qat4j.runtime.model.Shapes;

/**
 * The geometry of a convolution: kernel, stride, padding, dilation (one entry per spatial axis), groups and
 * filters. Output size per axis: {@link Shapes#windowOutputLength}.
 */
public record ConvGeometry(Shape kernel, Shape stride, Shape padding, Shape dilation, int groups, long filters) {

    /** {@code [filters, inChannels/groups, k...]}. */
    public Shape weightShape(long inChannels) {
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "input channels " + inChannels + " are not divisible by groups " + groups);
        }
        return new Shape(filters, inChannels / groups).addAll(kernel);
    }

    /** Output shape {@code [N, filters, out...]} for input {@code [N, C, in...]}. */
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

    void write(DataOutputStream os) throws IOException {
        for (Shape s : new Shape[] {kernel, stride, padding, dilation}) {
            os.writeInt(s.dimension());
            for (long v : s.getShape()) {
                os.writeLong(v);
            }
        }
        os.writeInt(groups);
        os.writeLong(filters);
    }

    void readAndCheck(DataInputStream is, String layer) throws IOException, MalformedModelException {
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

    static final class Builder {
        private final int rank;
        Shape kernel;
        Shape stride;
        Shape padding;
        Shape dilation;
        int groups = 1;
        long filters = -1;

        Builder(int rank) {
            this.rank = rank;
        }

        ConvGeometry build(String layer) {
            if (kernel == null || kernel.dimension() != rank) {
                throw new IllegalArgumentException(layer + ": kernelShape must have " + rank + " entries, got " + kernel);
            }
            long[] ones = new long[rank];
            Arrays.fill(ones, 1);
            Shape s = stride == null ? new Shape(ones) : stride;
            Shape p = padding == null ? new Shape(new long[rank]) : padding;
            Shape d = dilation == null ? new Shape(ones) : dilation;
            for (Shape sh : new Shape[] {s, p, d}) {
                if (sh.dimension() != rank) {
                    throw new IllegalArgumentException(layer + ": stride/padding/dilation must have " + rank
                            + " entries, got " + sh);
                }
            }
            for (int a = 0; a < rank; a++) {
                if (kernel.get(a) < 1 || s.get(a) < 1 || d.get(a) < 1 || p.get(a) < 0) {
                    throw new IllegalArgumentException(layer + ": kernel, stride, dilation must be >= 1 and padding"
                            + " >= 0, got kernel=" + kernel + ", stride=" + s + ", padding=" + p + ", dilation=" + d);
                }
            }
            if (filters < 1) {
                throw new IllegalArgumentException(layer + ": filters must be >= 1, got " + filters);
            }
            if (groups < 1) {
                throw new IllegalArgumentException(layer + ": groups must be >= 1, got " + groups);
            }
            return new ConvGeometry(kernel, s, p, d, groups, filters);
        }
    }
}
