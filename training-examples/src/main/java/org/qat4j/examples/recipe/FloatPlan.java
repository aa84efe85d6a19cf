package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.qat4j.core.method.LayerBits;
import org.qat4j.core.method.QatMethod;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.runtime.model.IntegerModel;

/**
 * {@code --variant float}: the recipe's network with plain DJL float layers ({@code Linear}, {@code Conv2d},
 * {@code Activation.reluBlock()}, DJL pooling), trained on the same data with the same epochs, batch size,
 * learning rate and seed, and no quantizer. The run directory then holds the float model (its checkpoints) and
 * its test accuracy; it has no integer model. It is what post-training quantization ({@code qat ptq}) starts from
 * and the float reference of every results table.
 */
final class FloatPlan implements RecipePlan {

    /** The {@code --variant} value that selects the float twin. */
    static final String VARIANT = "float";

    /** Reads the recipe's data. */
    interface DataLoader {
        RecipeData load(EpochSeededSampler sampler) throws IOException;
    }

    private final RecipeSettings settings;
    private final Supplier<Block> network;
    private final Shape sampleShape;
    private final DataLoader loader;

    FloatPlan(RecipeSettings settings, Supplier<Block> network, Shape sampleShape, DataLoader loader) {
        settings.refuse("--acc-bits", settings.accumulatorBits());
        settings.refuse("--beta", settings.beta());
        settings.refuse("--uniform-bits", settings.uniformBits());
        settings.refuse("--uniform-act-bits", settings.uniformActivationBits());
        settings.refuse("--init-from", settings.initFrom());
        this.settings = settings;
        this.network = network;
        this.sampleShape = sampleShape;
        this.loader = loader;
    }

    /** True if the settings ask for the float twin. */
    static boolean requested(RecipeSettings settings) {
        return VARIANT.equals(settings.variant());
    }

    /** The float MLP {@code in → hidden → ReLU → out} of the MLP recipes. */
    static Block mlp(int hidden, int out) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(Linear.builder().setUnits(out).build());
    }

    @Override
    public RecipeSettings settings() {
        return settings;
    }

    @Override
    public Block newBlock() {
        return network.get();
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public RecipeData loadData(EpochSeededSampler sampler) throws IOException {
        return loader.load(sampler);
    }

    @Override
    public boolean exportsIntegerModel() {
        return false;
    }

    @Override
    public QatMethod method() {
        return FLOAT;
    }

    /** No quantization method: nothing to export (the runner never asks, {@link #exportsIntegerModel()} is false). */
    private static final QatMethod FLOAT = new QatMethod() {
        @Override
        public String name() {
            return "float";
        }

        @Override
        public IntegerModel export(
                Block block, Shape sampleShape, String recipe, long seed, java.util.Map<String, String> settings) {
            throw new UnsupportedOperationException(
                    "a --variant float run has no integer model; quantize it with qat ptq");
        }

        @Override
        public List<LayerBits> layerBits(Block block) {
            return List.of();
        }
    };
}
