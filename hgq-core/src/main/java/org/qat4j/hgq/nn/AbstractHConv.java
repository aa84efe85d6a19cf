package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.core.nn.ConvGeometry;
import org.qat4j.hgq.quant.BitGranularity;
import org.qat4j.hgq.quant.HgqQuantizerConfig;

/**
 * HGQ convolution (arXiv 2405.00645, §3): {@code y = act(conv(iq(x), kq(W)) + bq(b))} with per-weight
 * kernel bits and per-channel (default) or per-tensor input bits, optionally with batch norm folded
 * into W and b during training. Input layout (batch, channels, spatial...); kernel
 * (filters, channels, taps...); the geometry is the common {@link ConvGeometry} with one group.
 *
 * <p>EBOPs count one kernel application, as in a fully parallel implementation:
 * {@code Σ_{o,c,taps} b_in[c]·b_w[o,c,taps]}. Per-element input bits would make that count depend on
 * the position and are refused.
 */
public abstract class AbstractHConv extends AbstractHgqLayer {

    protected AbstractHConv(ConvBuilder<?> b) {
        super(b, b.geometry);
    }

    @Override
    public ConvGeometry geometry() {
        return (ConvGeometry) super.geometry();
    }

    public long getFilters() {
        return geometry().filters();
    }

    public Shape getKernel() {
        return geometry().kernel();
    }

    public Shape getStride() {
        return geometry().stride();
    }

    public Shape getPadding() {
        return geometry().padding();
    }

    public Shape getDilation() {
        return geometry().dilation();
    }

    @Override
    protected void checkInputShape(Shape inputShape) {
        int rank = geometry().spatialRank();
        if (inputShape.dimension() != 2 + rank) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " expects input of rank " + (2 + rank)
                    + " (batch, channels, spatial...), got " + inputShape);
        }
    }

    /** HGQ's layout (older than {@link ConvGeometry#write}): filters, then kernel, stride, padding, dilation. */
    @Override
    protected void saveLayerMetadata(DataOutputStream os) throws IOException {
        ConvGeometry g = geometry();
        os.writeLong(g.filters());
        os.write(g.kernel().getEncoded());
        os.write(g.stride().getEncoded());
        os.write(g.padding().getEncoded());
        os.write(g.dilation().getEncoded());
    }

    @Override
    protected void loadLayerMetadata(DataInputStream is) throws IOException, MalformedModelException {
        ConvGeometry g = geometry();
        checkSame("filters", is.readLong(), g.filters());
        checkSame("kernel", Shape.decode(is), g.kernel());
        checkSame("stride", Shape.decode(is), g.stride());
        checkSame("padding", Shape.decode(is), g.padding());
        checkSame("dilation", Shape.decode(is), g.dilation());
    }

    /**
     * Builder: {@link #setFilters} and {@link #setKernelShape} are required; stride 1, padding 0,
     * dilation 1 by default ({@link ConvGeometry.Builder}); the input quantizer defaults to per-channel bits.
     *
     * @param <B> the concrete builder
     */
    @SuppressWarnings("unchecked")
    public abstract static class ConvBuilder<B extends ConvBuilder<B>> extends HgqLayerBuilder<B> {
        private final ConvGeometry.Builder shape;
        ConvGeometry geometry;

        protected ConvBuilder(int rank) {
            this.shape = new ConvGeometry.Builder(rank);
            settings.inputConfig = HgqQuantizerConfig.activations()
                    .optGranularity(BitGranularity.PER_CHANNEL)
                    .build();
        }

        public B setFilters(long filters) {
            shape.setFilters(filters);
            return (B) this;
        }

        public B setKernelShape(Shape kernel) {
            shape.setKernelShape(kernel);
            return (B) this;
        }

        public B optStride(Shape stride) {
            shape.optStride(stride);
            return (B) this;
        }

        public B optPadding(Shape padding) {
            shape.optPadding(padding);
            return (B) this;
        }

        public B optDilation(Shape dilation) {
            shape.optDilation(dilation);
            return (B) this;
        }

        /** Validates the geometry and the HGQ settings; {@code layer} names the layer in messages. */
        protected void validate(String layer) {
            geometry = shape.build(layer);
            if (settings.inputConfig.granularity() == BitGranularity.PER_ELEMENT) {
                throw new IllegalArgumentException(layer + ": inputQuantizer granularity PER_ELEMENT is not supported"
                        + " for convolutions (EBOPs per kernel application need one width per channel);"
                        + " use PER_CHANNEL or PER_TENSOR");
            }
            settings.validate(layer);
        }
    }
}
