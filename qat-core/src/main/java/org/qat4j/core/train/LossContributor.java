package org.qat4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A block anywhere in a model's tree that adds a term to the training loss.
 *
 * <p>Examples: HGQ's resource term {@code β·EBOPs + λ·Σ bits} (arXiv 2405.00645, §4) and A2Q's
 * norm regularizer {@code 1e-3·Σ_c relu(g_c − T·s_c)} (arXiv 2308.13504, §4). {@link
 * QatTrainingLoop} finds every contributor in the block tree and adds its term inside the gradient
 * collector, which DJL's {@code EasyTrain} cannot do.
 */
public interface LossContributor {

    /**
     * Returns this block's loss term, a scalar, computed from its current parameters.
     *
     * @param manager the batch's manager; temporaries and the result may be attached to it
     * @return a scalar array that takes part in the backward pass
     */
    NDArray lossTerm(NDManager manager);
}
