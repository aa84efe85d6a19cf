package org.qat4j.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Flattens {@code (batch, d1, d2, ...)} to {@code (batch, d1·d2·...)} in C (row-major) order, the layout of
 * the integer runtime's {@code flatten} op. Values are untouched, so the block is exact for HGQ (arXiv
 * 2405.00645) and A2Q/A2Q+ (arXiv 2308.13504, 2401.10432) networks alike.
 */
public final class QatFlatten extends AbstractBlock {

    private static final byte VERSION = 1;

    public QatFlatten() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        return new NDList(x.reshape(x.getShape().get(0), -1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.size() / Math.max(1, in.get(0)))};
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("QatFlatten: unknown parameter version " + loadVersion);
        }
        readInputShapes(is);
    }
}
