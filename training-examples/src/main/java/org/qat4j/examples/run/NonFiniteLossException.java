package org.qat4j.examples.run;

import java.nio.file.Path;

/**
 * Training stopped because the loss became NaN or infinite. Says where (epoch, batch, value) and
 * which checkpoint is the last good one to resume from.
 */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long batch;
    private final double loss;
    private final transient Path lastGoodCheckpoint;

    /**
     * @param epoch 1-based epoch
     * @param batch 0-based batch within the epoch
     * @param loss the non-finite value
     * @param lastGoodCheckpoint the newest complete checkpoint, or null if none was written yet
     */
    public NonFiniteLossException(int epoch, long batch, double loss, Path lastGoodCheckpoint) {
        super(message(epoch, batch, loss, lastGoodCheckpoint));
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    private static String message(int epoch, long batch, double loss, Path checkpoint) {
        return "Training diverged: the loss is " + loss + " at epoch " + epoch + ", batch " + batch + ". "
                + (checkpoint == null ? "No checkpoint was written before it."
                        : "The last good checkpoint is kept at " + checkpoint
                                + "; resume from it (--resume) with a lower learning rate or a smaller regularizer weight.");
    }

    /** Returns a copy naming the last good checkpoint (used when the guard did not know it). */
    public NonFiniteLossException withCheckpoint(Path checkpoint) {
        NonFiniteLossException e = new NonFiniteLossException(epoch, batch, loss, checkpoint);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** 1-based epoch of the bad loss. */
    public int getEpoch() {
        return epoch;
    }

    /** 0-based batch of the bad loss within its epoch. */
    public long getBatch() {
        return batch;
    }

    /** The NaN or infinite loss. */
    public double getLoss() {
        return loss;
    }

    /** The newest complete checkpoint, or null. */
    public Path getLastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
