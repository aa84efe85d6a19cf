package org.qat4j.examples.recipe;

import ai.djl.nn.Block;
import java.util.List;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.EpochSummary;
import org.qat4j.core.train.schedule.BetaTarget;

/**
 * The HGQ recipes' β schedule (arXiv 2405.00645 §4.4: β is ramped during training): before 0-based
 * epoch {@code e} of {@code E} every {@link BetaTarget} of the network gets
 * {@code β_e = β·r^(e/(E−1) − 1)}, a log-linear ramp from {@code β/r} to the final β ({@code β} for
 * a single epoch). The epoch alone decides β, so a resumed run continues the same ramp.
 */
final class BetaRamp implements EpochHook {

    private final List<BetaTarget> targets;
    private final double finalBeta;
    private final double range;
    private final int epochs;

    /**
     * @param block the network
     * @param finalBeta β of the last epoch (finite, ≥ 0)
     * @param range ratio of the final to the first β (≥ 1)
     * @param epochs epochs of the run
     */
    BetaRamp(Block block, double finalBeta, double range, int epochs) {
        this.targets = BlockTrees.find(block, BetaTarget.class);
        this.finalBeta = finalBeta;
        this.range = range;
        this.epochs = epochs;
    }

    /** β of 0-based epoch {@code epoch}. */
    double beta(int epoch) {
        if (epochs <= 1) {
            return finalBeta;
        }
        double t = Math.min(1.0, (double) epoch / (epochs - 1));
        return finalBeta * Math.pow(range, t - 1);
    }

    @Override
    public void beforeEpoch(int epoch) {
        double b = beta(epoch);
        targets.forEach(t -> t.setBeta(b));
    }

    @Override
    public void afterEpoch(int epoch, EpochSummary summary) {}
}
