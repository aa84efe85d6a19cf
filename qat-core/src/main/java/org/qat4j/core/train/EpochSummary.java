package org.qat4j.core.train;

/**
 * What one epoch of {@link QatTrainingLoop} measured: the mean task loss and the mean of the added
 * loss terms over the epoch's batches, and the number of batches.
 *
 * @param epoch the epoch, from 0
 * @param batches batches trained
 * @param meanTaskLoss mean of the task loss alone
 * @param meanLossTerms mean of the sum of every {@link LossContributor}'s term
 */
public record EpochSummary(int epoch, long batches, double meanTaskLoss, double meanLossTerms) {}
