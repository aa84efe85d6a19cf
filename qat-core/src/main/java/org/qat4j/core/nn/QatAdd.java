package org.qat4j.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Element-wise sum of its inputs, {@code y = ((x_0 + x_1) + x_2) + …} in the inputs' order: the join
 * of a residual connection, written as {@code ParallelBlock(join that hands the branch outputs
 * through, branches)} followed by this block, for HGQ (arXiv 2405.00645 §3: sums of fixed-point values
 * are exact on their finest grid) and A2Q/A2Q+ networks (arXiv 2308.13504: the branch results are float
 * values, and the export repeats this float32 sum in the same order). It has no quantizer; the block
 * after it quantizes the sum.
 */
public final class QatAdd extends AbstractBlock {

    private static final byte VERSION = 1;

    public QatAdd() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("QatAdd needs at least 2 inputs, got " + inputs.size());
        }
        NDArray sum = inputs.get(0);
        for (int j = 1; j < inputs.size(); j++) {
            if (!inputs.get(j).getShape().equals(sum.getShape())) {
                throw new IllegalArgumentException("QatAdd inputs must have equal shapes, got " + sum.getShape()
                        + " and " + inputs.get(j).getShape() + " (input " + j + ")");
            }
            sum = sum.add(inputs.get(j));
        }
        return new NDList(sum);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("QatAdd: unknown parameter version " + loadVersion);
        }
        readInputShapes(is);
    }
}
