package org.qat4j.core.train.checkpoint;

import java.nio.file.Path;
import org.qat4j.core.train.TrainingDivergedException;

/**
 * What a training epoch gets from {@link ResumableTraining}: its number, a seed derived from the run's
 * seed and the epoch (so a resumed run draws the same data order and noise), the steps already taken,
 * and the loss check that stops a diverging run.
 */
public final class EpochContext {

    private final int epoch;
    private final int totalEpochs;
    private final long runSeed;
    private final long stepsBefore;
    private final Path lastGoodCheckpoint;

    /**
     * The context {@link ResumableTraining} hands an epoch body; public so that a body can be run and tested
     * on its own.
     *
     * @param epoch 1-based epoch
     * @param totalEpochs epochs of the run
     * @param runSeed the run's seed
     * @param stepsBefore optimizer steps taken in earlier epochs
     * @param lastGoodCheckpoint the newest complete checkpoint, or null
     */
    public EpochContext(int epoch, int totalEpochs, long runSeed, long stepsBefore, Path lastGoodCheckpoint) {
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
        this.runSeed = runSeed;
        this.stepsBefore = stepsBefore;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** 1-based epoch number. */
    public int epoch() {
        return epoch;
    }

    /** Epochs the run trains in total. */
    public int totalEpochs() {
        return totalEpochs;
    }

    /** The run's seed. */
    public long runSeed() {
        return runSeed;
    }

    /** A seed for this epoch only: a fixed mix of the run's seed and the epoch number. */
    public long epochSeed() {
        long z = runSeed + 0x9E3779B97F4A7C15L * epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Optimizer steps taken in earlier epochs. */
    public long stepsBefore() {
        return stepsBefore;
    }

    /**
     * Stops the run if {@code loss} is NaN or infinite.
     *
     * @param batch 0-based batch index within this epoch
     * @param loss the batch's loss
     * @throws TrainingDivergedException naming epoch, batch, value and the last good checkpoint
     */
    public void checkLoss(long batch, double loss) {
        if (!Double.isFinite(loss)) {
            throw TrainingDivergedException.inRun(epoch, batch, loss, lastGoodCheckpoint);
        }
    }
}
