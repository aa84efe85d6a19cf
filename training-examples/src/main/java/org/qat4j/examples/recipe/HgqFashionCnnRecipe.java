package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.io.IOException;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;

/**
 * {@code hgq-fashion-cnn}: a small HGQ CNN (arXiv 2405.00645) on Fashion-MNIST with bits per weight and
 * per input element, trained with a β ramp on EBOPs.
 * <pre>
 *   x/255 (1×28×28) → HConv2d 8 3×3 + ReLU → max pool 2×2 → HConv2d 16 3×3 + ReLU → max pool 2×2
 *                   → flatten (400) → HDense 10
 * </pre>
 */
public final class HgqFashionCnnRecipe implements Recipe {

    /** The recipe's name. */
    public static final String NAME = "hgq-fashion-cnn";
    /** Final β when not given. */
    public static final double DEFAULT_BETA = 1e-7;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "HGQ CNN (conv 8, pool, conv 16, pool, dense 10) on Fashion-MNIST, bits per weight and input "
                + "(--beta; --variant float for the float twin)";
    }

    @Override
    public RecipeDefaults defaults() {
        return new RecipeDefaults(3, 64, 2e-3f, 0);
    }

    @Override
    public RecipePlan plan(RecipeSettings settings) {
        settings.refuse("--data", settings.dataFile());
        if (FloatPlan.requested(settings)) {
            return new FloatPlan(
                    settings,
                    HgqFashionCnnRecipe::floatNetwork,
                    new Shape(1, 28, 28),
                    sampler -> FashionMnistData.load(settings, sampler, false));
        }
        return new HgqPlan(settings, DEFAULT_BETA) {
            @Override
            public Block newBlock() {
                return new SequentialBlock()
                        .add(quantized(
                                        HConv2d.builder()
                                                .setFilters(8)
                                                .setKernelShape(new Shape(3, 3))
                                                .optActivation(HActivationType.RELU),
                                        UniformBits.Input.PIXELS,
                                        1 * 3 * 3)
                                .build())
                        .add(QatPool.max(new Shape(2, 2)))
                        .add(quantized(
                                        HConv2d.builder()
                                                .setFilters(16)
                                                .setKernelShape(new Shape(3, 3))
                                                .optActivation(HActivationType.RELU),
                                        UniformBits.Input.RELU,
                                        8 * 3 * 3)
                                .build())
                        .add(QatPool.max(new Shape(2, 2)))
                        .add(new QatFlatten())
                        .add(quantized(HDense.builder().setUnits(10), UniformBits.Input.RELU, 16 * 5 * 5)
                                .build());
            }

            @Override
            public Shape sampleShape() {
                return new Shape(1, 28, 28);
            }

            @Override
            public RecipeData loadData(EpochSeededSampler sampler) throws IOException {
                return FashionMnistData.load(settings, sampler, false);
            }
        };
    }

    /** The same network in plain DJL float layers (the float twin of {@code --variant float}). */
    static Block floatNetwork() {
        return new SequentialBlock()
                .add(ai.djl.nn.convolutional.Conv2d.builder()
                        .setFilters(8)
                        .setKernelShape(new Shape(3, 3))
                        .build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(ai.djl.nn.pooling.Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(ai.djl.nn.convolutional.Conv2d.builder()
                        .setFilters(16)
                        .setKernelShape(new Shape(3, 3))
                        .build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(ai.djl.nn.pooling.Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(ai.djl.nn.Blocks.batchFlattenBlock())
                .add(ai.djl.nn.core.Linear.builder().setUnits(10).build());
    }
}
