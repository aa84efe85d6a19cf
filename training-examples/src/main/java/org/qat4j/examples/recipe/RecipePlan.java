package org.qat4j.examples.recipe;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.qat4j.core.train.EpochHook;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.runtime.model.IntegerModel;

/**
 * One run of a {@link Recipe} with resolved settings: builds the quantized network and the data,
 * supplies the optimizer and the epoch hooks (β schedules), prepares the trained network for export
 * (calibration) and exports it as an integer model. The {@code RecipeRunner} calls these in order.
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
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings().learningRate())).build();
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

    /** Hooks run around every epoch (e.g. a β schedule); none by default. */
    default List<EpochHook> epochHooks(Block block) {
        return List.of();
    }

    /** Values recorded per epoch next to loss and accuracy (e.g. the differentiable EBOPs). */
    default Map<String, Double> epochMetrics(Block block) {
        return Map.of();
    }

    /** Makes the trained network ready for export, e.g. HGQ's min/max calibration on {@code calibration}. */
    default void prepareExport(Block block, NDManager manager, Dataset calibration) {}

    /** False for a float network ({@code --variant float}): trained and evaluated, never exported. */
    default boolean exportsIntegerModel() {
        return true;
    }

    /** The integer model computing exactly what {@code block} computes in evaluation mode. */
    IntegerModel export(Block block);

    /** Exact EBOPs of the prepared network (HGQ recipes), empty otherwise. */
    default OptionalLong exactEbops(Block block) {
        return OptionalLong.empty();
    }

    /**
     * Per accumulating layer, in model order: bit statistics of its weights and input activations.
     * The runner adds the accumulator bits needed and declared from the certificate check.
     */
    List<LayerBits> layerBits(Block block);
}
