package org.qat4j.core.train;

/**
 * Thrown when the training loss becomes NaN or infinite. The loop stops before the optimizer
 * applies the poisoned gradients, so the parameters still hold the last finite step, and a
 * checkpoint written before is the last good one.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long batch;
    private final float loss;

    public TrainingDivergedException(int epoch, long batch, float loss, String detail) {
        super(String.format(
                "training diverged: loss = %s at epoch %d, batch %d (%s); the parameters were not"
                        + " updated with this batch; lower the learning rate or the regularizer"
                        + " strength, or resume from the last checkpoint",
                loss, epoch, batch, detail));
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
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
}
