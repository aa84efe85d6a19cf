package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.io.IOException;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;

/**
 * {@code hgq-fashion-mlp}, the default recipe: an HGQ MLP (arXiv 2405.00645) on Fashion-MNIST with a
 * fixed-point format per weight and per input pixel, trained with a β ramp on EBOPs.
 * <pre>
 *   x/255 (784) → HDense 64 + ReLU (per-input and per-weight bits) → HDense 10 (per-input and per-weight bits)
 * </pre>
 */
public final class HgqFashionMlpRecipe implements Recipe {

    /** The recipe's name. */
    public static final String NAME = "hgq-fashion-mlp";
    /** Final β when not given. */
    public static final double DEFAULT_BETA = 1e-7;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "HGQ MLP 784-64-10 on Fashion-MNIST, bits per weight and per input, beta ramp on EBOPs "
                + "(--beta; --uniform-bits B for the fixed-format baseline; --variant float for the float twin)";
    }

    @Override
    public RecipeDefaults defaults() {
        return new RecipeDefaults(5, 128, 3e-3f, 0);
    }

    @Override
    public RecipePlan plan(RecipeSettings settings) {
        settings.refuse("--data", settings.dataFile());
        if (FloatPlan.requested(settings)) {
            return new FloatPlan(
                    settings,
                    () -> FloatPlan.mlp(64, 10),
                    new Shape(784),
                    sampler -> FashionMnistData.load(settings, sampler, true));
        }
        return new HgqPlan(settings, DEFAULT_BETA) {
            @Override
            public Block newBlock() {
                return new SequentialBlock()
                        .add(quantized(
                                        HDense.builder().setUnits(64).optActivation(HActivationType.RELU),
                                        UniformBits.Input.PIXELS,
                                        784)
                                .build())
                        .add(quantized(HDense.builder().setUnits(10), UniformBits.Input.RELU, 64)
                                .build());
            }

            @Override
            public Shape sampleShape() {
                return new Shape(784);
            }

            @Override
            public RecipeData loadData(EpochSeededSampler sampler) throws IOException {
                return FashionMnistData.load(settings, sampler, true);
            }
        };
    }
}
