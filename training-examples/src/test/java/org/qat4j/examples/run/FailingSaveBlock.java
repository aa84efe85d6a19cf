package org.qat4j.examples.run;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataOutputStream;
import java.io.IOException;

/** Wraps a block; saving fails on demand (a full disk in the middle of a checkpoint). */
final class FailingSaveBlock extends AbstractBlock {

    private final Block inner;
    boolean failNextSave;

    FailingSaveBlock(Block inner) {
        this.inner = addChildBlock("inner", inner);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return inner.forward(store, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        if (failNextSave) {
            failNextSave = false;
            throw new IOException("simulated: no space left on device");
        }
        super.saveMetadata(os);
    }
}
