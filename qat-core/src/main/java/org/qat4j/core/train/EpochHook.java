package org.qat4j.core.train;

/**
 * Called by {@link QatTrainingLoop} around every epoch: β schedules (HGQ, arXiv 2405.00645 §4.4),
 * checkpointing, early stopping. Epochs count from 0.
 */
public interface EpochHook {

    /** Called before the first batch of {@code epoch}, after range observers were reset. */
    default void beforeEpoch(int epoch) {}

    /** Called after validation of {@code epoch}, after DJL's listeners saw {@code onEpoch}. */
    default void afterEpoch(int epoch, EpochSummary summary) {}
}
