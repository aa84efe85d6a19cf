package org.qat4j.core.train.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trainer state a checkpoint stores next to the model's parameters, enough for a resumed run to
 * continue with the next epoch: epochs completed, optimizer steps taken, the run's seed (data order
 * and any randomness are derived from {@code (seed, epoch)}), the best metrics so far and the
 * per-epoch history.
 *
 * @param completedEpochs epochs finished and saved
 * @param optimizerSteps optimizer steps taken over all finished epochs
 * @param seed the run's seed
 * @param bestMetrics best value of each metric so far (e.g. {@code validationAccuracy})
 * @param history one record per finished epoch, in order
 */
public record TrainingState(
        int completedEpochs,
        long optimizerSteps,
        long seed,
        Map<String, Double> bestMetrics,
        List<EpochRecord> history) {

    /** Checks consistency and copies the collections. */
    public TrainingState {
        if (completedEpochs < 0 || optimizerSteps < 0) {
            throw new IllegalArgumentException("completedEpochs and optimizerSteps must be >= 0, got " + completedEpochs
                    + " and " + optimizerSteps);
        }
        bestMetrics = bestMetrics == null ? Map.of() : new TreeMap<>(bestMetrics);
        history = history == null ? List.of() : List.copyOf(history);
        if (history.size() != completedEpochs) {
            throw new IllegalArgumentException(
                    "history has " + history.size() + " epochs but completedEpochs is " + completedEpochs);
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).epoch() != i + 1) {
                throw new IllegalArgumentException(
                        "history entry " + i + " is epoch " + history.get(i).epoch() + ", expected " + (i + 1));
            }
        }
    }

    /** The state of a run that has not trained yet. */
    public static TrainingState fresh(long seed) {
        return new TrainingState(0, 0, seed, Map.of(), List.of());
    }

    /** The state after one more finished epoch; {@code validationAccuracy} feeds the best metrics. */
    public TrainingState plus(EpochRecord record) {
        if (record.epoch() != completedEpochs + 1) {
            throw new IllegalArgumentException(
                    "next epoch must be " + (completedEpochs + 1) + ", got " + record.epoch());
        }
        List<EpochRecord> nextHistory = new ArrayList<>(history);
        nextHistory.add(record);
        Map<String, Double> best = new TreeMap<>(bestMetrics);
        if (!Double.isNaN(record.validationAccuracy())) {
            best.merge("validationAccuracy", record.validationAccuracy(), Math::max);
        }
        if (!Double.isNaN(record.trainLoss())) {
            best.merge("trainLoss", record.trainLoss(), Math::min);
        }
        return new TrainingState(completedEpochs + 1, optimizerSteps + record.steps(), seed, best, nextHistory);
    }
}
