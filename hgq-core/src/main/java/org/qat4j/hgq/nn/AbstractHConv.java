package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.hgq.quant.BitGranularity;
import org.qat4j.runtime.model.Shapes;

/**
 * HGQ convolution (arXiv 2405.00645, §3): {@code y = act(conv(iq(x), kq(W)) + bq(b))} with per-weight
 * kernel bits and per-channel (default) or per-tensor input bits, optionally with batch norm folded
 * into W and b during training. Input layout (batch, channels, spatial...); kernel
 * (filters, channels, taps...).
 *
 * <p>EBOPs count one kernel application, as in a fully parallel implementation:
 * {@code Σ_{o,c,taps} b_in[c]·b_w[o,c,taps]}. Per-element input bits would make that count depend on
 * the position and are refused.
 */
public abstract class AbstractHConv extends AbstractHgqLayer {

    protected final long filters;
    protected final Shape kernel;
    protected final Shape stride;
    protected final Shape padding;
    protected final Shape dilation;

    protected AbstractHConv(ConvBuilder<?> b) {
        super(b.settings);
        this.filters = b.filters;
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.padding = b.padding;
        this.dilation = b.dilation;
    }

    /** Spatial rank (1 or 2). */
    protected abstract int spatialRank();

    public long getFilters() {
        return filters;
    }

    public Shape getKernel() {
        return kernel;
    }

    public Shape getStride() {
        return stride;
    }

    public Shape getPadding() {
        return padding;
    }

    public Shape getDilation() {
        return dilation;
    }

    @Override
    protected Shape kernelShape(Shape inputShape) {
        long[] s = new long[2 + spatialRank()];
        s[0] = filters;
        s[1] = inputShape.get(1);
        for (int a = 0; a < spatialRank(); a++) {
            s[2 + a] = kernel.get(a);
        }
        return new Shape(s);
    }

    @Override
    protected long outputChannels() {
        return filters;
    }

    @Override
    protected void checkInputShape(Shape inputShape) {
        if (inputShape.dimension() != 2 + spatialRank()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " expects input of rank "
                    + (2 + spatialRank()) + " (batch, channels, spatial...), got " + inputShape);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long[] s = new long[2 + spatialRank()];
        s[0] = in.get(0);
        s[1] = filters;
        for (int a = 0; a < spatialRank(); a++) {
            s[2 + a] = Shapes.windowOutputLength(in.get(2 + a), kernel.get(a), stride.get(a), padding.get(a),
                    dilation.get(a));
        }
        return new Shape[] {new Shape(s)};
    }

    @Override
    protected void saveLayerSettings(DataOutputStream os) throws IOException {
        os.writeLong(filters);
        os.write(kernel.getEncoded());
        os.write(stride.getEncoded());
        os.write(padding.getEncoded());
        os.write(dilation.getEncoded());
    }

    @Override
    protected void loadLayerSettings(DataInputStream is) throws IOException, MalformedModelException {
        checkSame("filters", is.readLong(), filters);
        checkSame("kernel", Shape.decode(is), kernel);
        checkSame("stride", Shape.decode(is), stride);
        checkSame("padding", Shape.decode(is), padding);
        checkSame("dilation", Shape.decode(is), dilation);
    }

    /**
     * Builder: {@link #setFilters} and {@link #setKernelShape} are required; stride 1, padding 0,
     * dilation 1 by default; the input quantizer defaults to per-channel bits.
     *
     * @param <B> the concrete builder
     */
    @SuppressWarnings("unchecked")
    public abstract static class ConvBuilder<B extends ConvBuilder<B>> extends HgqLayerBuilder<B> {
        long filters = -1;
        Shape kernel;
        Shape stride;
        Shape padding;
        Shape dilation;

        protected ConvBuilder() {
            settings.inputConfig = org.qat4j.hgq.quant.HgqQuantizerConfig.activations()
                    .optGranularity(BitGranularity.PER_CHANNEL).build();
        }

        public B setFilters(long filters) {
            this.filters = filters;
            return (B) this;
        }

        public B setKernelShape(Shape kernel) {
            this.kernel = kernel;
            return (B) this;
        }

        public B optStride(Shape stride) {
            this.stride = stride;
            return (B) this;
        }

        public B optPadding(Shape padding) {
            this.padding = padding;
            return (B) this;
        }

        public B optDilation(Shape dilation) {
            this.dilation = dilation;
            return (B) this;
        }

        protected void validate(String layer, int rank) {
            if (filters < 1) {
                throw new IllegalArgumentException(layer + ": filters must be >= 1, got " + filters);
            }
            if (kernel == null || kernel.dimension() != rank) {
                throw new IllegalArgumentException(layer + ": kernelShape must have " + rank + " dimension(s), got "
                        + kernel);
            }
            long[] ones = new long[rank];
            java.util.Arrays.fill(ones, 1);
            stride = stride == null ? new Shape(ones) : stride;
            padding = padding == null ? new Shape(new long[rank]) : padding;
            dilation = dilation == null ? new Shape(ones) : dilation;
            checkDims(layer, "kernelShape", kernel, rank, 1);
            checkDims(layer, "stride", stride, rank, 1);
            checkDims(layer, "padding", padding, rank, 0);
            checkDims(layer, "dilation", dilation, rank, 1);
            if (settings.inputConfig.granularity() == BitGranularity.PER_ELEMENT) {
                throw new IllegalArgumentException(layer + ": inputQuantizer granularity PER_ELEMENT is not supported"
                        + " for convolutions (EBOPs per kernel application need one width per channel);"
                        + " use PER_CHANNEL or PER_TENSOR");
            }
            settings.validate(layer);
        }

        private static void checkDims(String layer, String name, Shape s, int rank, long min) {
            if (s.dimension() != rank) {
                throw new IllegalArgumentException(layer + ": " + name + " must have " + rank + " dimension(s), got "
                        + s);
            }
            for (long d : s.getShape()) {
                if (d < min) {
                    throw new IllegalArgumentException(layer + ": " + name + " entries must be >= " + min + ", got "
                            + s);
                }
            }
        }
    }
}
