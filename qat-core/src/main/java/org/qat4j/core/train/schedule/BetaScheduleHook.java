package org.qat4j.core.train.schedule;

import java.util.List;
import org.qat4j.core.train.EpochHook;

/**
 * Applies a {@link BetaSchedule} to every {@link BetaTarget} at the start of each epoch (a
 * {@link org.qat4j.core.train.QatTrainingLoop} hook).
 */
public final class BetaScheduleHook implements EpochHook {

    private final BetaSchedule schedule;
    private final List<? extends BetaTarget> targets;

    /**
     * @param schedule the schedule
     * @param targets the layers whose β is set (for HGQ: {@code BlockTrees.find(root, HgqLayer.class)})
     */
    public BetaScheduleHook(BetaSchedule schedule, List<? extends BetaTarget> targets) {
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
        this.targets = List.copyOf(targets);
    }

    @Override
    public void beforeEpoch(int epoch) {
        double beta = schedule.beta(epoch);
        for (BetaTarget t : targets) {
            t.setBeta(beta);
        }
    }
}
