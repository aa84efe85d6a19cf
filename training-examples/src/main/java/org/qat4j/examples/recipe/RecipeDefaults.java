package org.qat4j.examples.recipe;

/**
 * A recipe's default training settings, each overridable on the command line.
 *
 * @param epochs epochs to train
 * @param batchSize samples per optimizer step
 * @param learningRate Adam's learning rate
 * @param trainLimit training samples used (0: the whole training set)
 */
public record RecipeDefaults(int epochs, int batchSize, float learningRate, long trainLimit) {

    /** Validates every field, naming it. */
    public RecipeDefaults {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("trainLimit must be >= 0, got " + trainLimit);
        }
    }
}
