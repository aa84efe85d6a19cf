package org.qat4j.core.train;

import java.nio.file.Path;

/**
 * Thrown when the training loss becomes NaN or infinite. The loop stops before the optimizer
 * applies the poisoned gradients, so the parameters still hold the last finite step, and a
 * checkpoint written before is the last good one. A checkpointed run
 * ({@link org.qat4j.core.train.checkpoint.ResumableTraining}) stops with {@link #inRun}, which names that
 * checkpoint ({@link #getLastGoodCheckpoint()}) and how to resume from it.
 */
public class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long batch;
    private final float loss;
    private final transient Path lastGoodCheckpoint;

    public TrainingDivergedException(int epoch, long batch, float loss, String detail) {
        this(
                String.format(
                        "training diverged: loss = %s at epoch %d, batch %d (%s); the parameters were not"
                                + " updated with this batch; lower the learning rate or the regularizer"
                                + " strength, or resume from the last checkpoint",
                        loss, epoch, batch, detail),
                epoch,
                batch,
                loss,
                null);
    }

    /** For subclasses and {@link #inRun}: the message and every field. */
    protected TrainingDivergedException(String message, int epoch, long batch, float loss, Path lastGoodCheckpoint) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /**
     * The stop of a checkpointed run: where the loss became non-finite and which checkpoint to resume from.
     *
     * @param epoch 1-based epoch
     * @param batch 0-based batch within the epoch, or -1 for the epoch's mean loss
     * @param loss the NaN or infinite value (kept as a float: NaN and the infinities are exact in it)
     * @param lastGoodCheckpoint the newest complete checkpoint, or null if none was written yet
     */
    public static TrainingDivergedException inRun(int epoch, long batch, double loss, Path lastGoodCheckpoint) {
        return new TrainingDivergedException(
                runMessage(epoch, batch, loss, lastGoodCheckpoint), epoch, batch, (float) loss, lastGoodCheckpoint);
    }

    /** The message of {@link #inRun} (the {@code qat} CLI prints it as is). */
    protected static String runMessage(int epoch, long batch, double loss, Path checkpoint) {
        return "Training diverged: the loss is " + loss + " at epoch " + epoch + ", batch " + batch + ". "
                + (checkpoint == null
                        ? "No checkpoint was written before it."
                        : "The last good checkpoint is kept at " + checkpoint
                                + "; resume from it (--resume) with a lower learning rate or a smaller regularizer weight.");
    }

    public int getEpoch() {
        return epoch;
    }

    public long getBatch() {
        return batch;
    }

    public float getLoss() {
        return loss;
    }

    /** The newest complete checkpoint when a checkpointed run stopped, or null. */
    public Path getLastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
