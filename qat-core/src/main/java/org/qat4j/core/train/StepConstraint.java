package org.qat4j.core.train;

import org.qat4j.core.engine.NoGradScope;

/**
 * A block that must restore a constraint on its parameters after every optimizer step: a projection
 * (A2Q's norm bound), or clipping bit-width parameters to the range where float32 stays exact
 * (HGQ, arXiv 2405.00645).
 *
 * <p>{@link QatTrainingLoop} calls {@link #afterStep()} after {@code trainer.step()}, outside the
 * gradient collector and inside a {@link NoGradScope}, so in-place updates of parameters that
 * require gradients are allowed.
 */
public interface StepConstraint {

    /** Restores the constraint in place. */
    void afterStep();
}
