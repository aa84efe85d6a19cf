package org.qat4j.examples.recipe;

import org.qat4j.datasets.TensorDataset;

/**
 * The data of a run: the training set (sampled by the run's seeded sampler) and the test set used
 * for validation after every epoch, for the final accuracies and as bit-exactness inputs.
 *
 * @param train training samples
 * @param test test samples, in file order
 * @param classes number of classes
 */
public record RecipeData(TensorDataset train, TensorDataset test, int classes) implements AutoCloseable {

    /** Frees both datasets' native copies. */
    @Override
    public void close() {
        train.close();
        test.close();
    }
}
