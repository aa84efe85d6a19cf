package org.qat4j.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.core.train.LossContributor;

/**
 * The one template of a quantized layer with weights, for every method: HGQ's {@code HDense}/{@code HConv*}
 * (arXiv 2405.00645 §3) and A2Q's {@code QLinear}/{@code QConv*} (arXiv 2308.13504 §4) compute
 * {@code y = op(q_in(x), q_w(W)) [+ b]} on a {@link LayerGeometry} and add a term to the training loss
 * ({@link LossContributor}).
 *
 * <p>The template fixes what the two methods share: the geometry (weight and output shapes), the metadata
 * layout of a saved layer — input shapes, then the method's settings ({@link #saveMethodMetadata}), then the
 * layer kind's ({@link #saveLayerMetadata}) — its version check and the "file differs from the block" error.
 * Parameters and quantizers are the method's: a subclass registers them in its constructor, in the order
 * its parameter files have.
 */
public abstract class AbstractQuantizedLayer extends AbstractBlock implements LossContributor {

    private static final byte VERSION = 1;

    private final LayerGeometry geometry;

    protected AbstractQuantizedLayer(LayerGeometry geometry) {
        super(VERSION);
        this.geometry = java.util.Objects.requireNonNull(geometry, "geometry");
    }

    /** The layer's geometry: {@link DenseGeometry} or {@link ConvGeometry}. */
    public LayerGeometry geometry() {
        return geometry;
    }

    /** The weight shape (output channel first) for an input of the given shape. */
    protected Shape weightShape(Shape inputShape) {
        return geometry.weightShape(inputShape);
    }

    /** Number of output channels (units or filters). */
    protected long outputChannels() {
        return geometry.outputChannels();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {geometry.outputShape(inputShapes[0])};
    }

    /** Writes the method's settings of this layer (flags, quantizer choices), after the input shapes. */
    protected abstract void saveMethodMetadata(DataOutputStream os) throws IOException;

    /** Reads and checks {@link #saveMethodMetadata}. */
    protected abstract void loadMethodMetadata(DataInputStream is) throws IOException, MalformedModelException;

    /** Writes the layer kind's structural settings (units; kernel, stride, ...), after the method's. */
    protected abstract void saveLayerMetadata(DataOutputStream os) throws IOException;

    /** Reads and checks {@link #saveLayerMetadata}. */
    protected abstract void loadLayerMetadata(DataInputStream is) throws IOException, MalformedModelException;

    @Override
    protected final void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        saveMethodMetadata(os);
        saveLayerMetadata(os);
    }

    @Override
    public final void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(getClass().getSimpleName() + ": unknown parameter version " + loadVersion
                    + " (this library reads " + VERSION + ")");
        }
        readInputShapes(is);
        loadMethodMetadata(is);
        loadLayerMetadata(is);
    }

    /** Fails with a message naming the setting when a structural setting differs from the file. */
    protected final void checkSame(String name, Object saved, Object built) throws MalformedModelException {
        if (!saved.equals(built)) {
            throw new MalformedModelException(String.format(
                    "%s: the model file has %s = %s but the block was built with %s = %s",
                    getClass().getSimpleName(), name, saved, name, built));
        }
    }
}
