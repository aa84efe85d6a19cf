package org.qat4j.examples.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.qat4j.core.train.LossContributor;

/** An identity block adding a loss term: 0 normally, NaN once poisoned. */
final class PoisonTermBlock extends AbstractBlock implements LossContributor {

    volatile boolean poisoned;

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return inputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public NDArray lossTerm(NDManager manager) {
        return manager.create(poisoned ? Float.NaN : 0f);
    }
}
