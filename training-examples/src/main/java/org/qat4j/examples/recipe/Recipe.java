package org.qat4j.examples.recipe;

/**
 * A named training job that {@code qat train NAME} runs end to end: which data, which quantized
 * network, which training settings and how the trained network becomes an integer model. A recipe
 * is a stateless description; {@link #plan} turns the run's settings into a {@link RecipePlan}.
 */
public interface Recipe {

    /** The name used on the command line, e.g. {@code hgq-fashion-mlp}. */
    String name();

    /** One line saying what the recipe trains, for {@code qat recipes}. */
    String description();

    /** Default epochs, batch size, learning rate and training-set limit. */
    RecipeDefaults defaults();

    /**
     * Checks the recipe-specific settings and returns the plan of one run.
     *
     * @throws IllegalArgumentException naming an option this recipe refuses or a bad value
     */
    RecipePlan plan(RecipeSettings settings);
}
