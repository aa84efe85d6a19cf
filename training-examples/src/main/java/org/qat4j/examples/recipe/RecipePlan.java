package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import org.qat4j.core.method.QatMethod;
import org.qat4j.datasets.EpochSeededSampler;

/**
 * One run of a {@link Recipe} with resolved settings: builds the quantized network and the data and
 * supplies the optimizer; what the quantization method does (epoch hooks such as β schedules,
 * calibration, export) is its {@link QatMethod}. The {@code RecipeRunner} calls these in order.
 */
public interface RecipePlan {

    /** The settings this plan was made from. */
    RecipeSettings settings();

    /** A new, uninitialized network. */
    Block newBlock();

    /** The shape of one input sample (without the batch axis). */
    Shape sampleShape();

    /** Reads the data; the training set draws its batches from {@code sampler}. */
    RecipeData loadData(EpochSeededSampler sampler) throws IOException;

    /** The optimizer; by default Adam at the settings' learning rate. */
    default Optimizer newOptimizer(Block block) {
        return Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed(settings().learningRate()))
                .build();
    }

    /**
     * Called once on a fresh run after the network is initialized and before the first epoch, e.g. to
     * start from a warm-up run's parameters.
     *
     * @return true if it changed the network (the runner then records the network's test accuracy)
     */
    default boolean beforeTraining(Block block) throws IOException {
        return false;
    }

    /**
     * Checks, reading only, that a fresh run can start from {@code --init-from} (before any data is loaded).
     *
     * @throws IllegalArgumentException naming the option and the directory when it cannot
     * @throws IOException if a file it needs is missing or unreadable
     */
    default void checkInitFrom() throws IOException {}

    /** False for a float network ({@code --variant float}): trained and evaluated, never exported. */
    default boolean exportsIntegerModel() {
        return true;
    }

    /**
     * The quantization method of the network: its epoch hooks and metrics, its preparation for export,
     * the export itself, exact EBOPs and bit statistics.
     */
    QatMethod method();
}
