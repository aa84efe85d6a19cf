package org.qat4j.core.train.checkpoint;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one finished training epoch measured; one line of the training curves.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's batches
 * @param trainAccuracy training accuracy over the epoch (NaN if not measured)
 * @param validationAccuracy accuracy on held-out data after the epoch (NaN if not measured)
 * @param steps optimizer steps taken in this epoch
 * @param seconds wall time of the epoch
 * @param extra further per-epoch values by name (e.g. {@code ebops}, {@code beta})
 */
public record EpochRecord(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double validationAccuracy,
        long steps,
        double seconds,
        Map<String, Double> extra) {

    /** Copies {@code extra} (sorted, so the JSON is stable). */
    public EpochRecord {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
        extra = extra == null ? Map.of() : new TreeMap<>(extra);
    }

    /** A record without extra values. */
    public static EpochRecord of(
            int epoch, double trainLoss, double trainAccuracy, double validationAccuracy, long steps, double seconds) {
        return new EpochRecord(epoch, trainLoss, trainAccuracy, validationAccuracy, steps, seconds, Map.of());
    }
}
