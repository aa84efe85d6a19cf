package org.qat4j.examples.run;

import java.nio.file.Path;
import org.qat4j.core.train.TrainingDivergedException;

/**
 * Moved: a run that diverges stops with {@link TrainingDivergedException} (made by
 * {@link TrainingDivergedException#inRun}), which names the epoch, the batch, the value and the last good
 * checkpoint. Nothing throws this class any more; it only keeps the old name constructible.
 *
 * @deprecated catch and throw {@link TrainingDivergedException}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class NonFiniteLossException extends TrainingDivergedException {

    private static final long serialVersionUID = 2L;

    /** @deprecated use {@link TrainingDivergedException#inRun(int, long, double, Path)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public NonFiniteLossException(int epoch, long batch, double loss, Path lastGoodCheckpoint) {
        super(runMessage(epoch, batch, loss, lastGoodCheckpoint), epoch, batch, (float) loss, lastGoodCheckpoint);
    }

    /** @deprecated use {@link TrainingDivergedException#inRun(int, long, double, Path)} with the checkpoint */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public NonFiniteLossException withCheckpoint(Path checkpoint) {
        NonFiniteLossException e = new NonFiniteLossException(getEpoch(), getBatch(), getLoss(), checkpoint);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
