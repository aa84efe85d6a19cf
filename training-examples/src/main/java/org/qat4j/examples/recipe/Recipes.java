package org.qat4j.examples.recipe;

import java.util.List;
import java.util.stream.Collectors;

/** The recipes {@code qat train} knows, in the order {@code qat recipes} lists them (the default first). */
public final class Recipes {

    /** The default recipe, run by the README's first command. */
    public static final String DEFAULT = "hgq-fashion-mlp";

    private static final List<Recipe> ALL = List.of(
            new HgqFashionMlpRecipe(), new HgqFashionCnnRecipe(), new A2qFashionCnnRecipe(), new HgqJetsRecipe());

    private Recipes() {}

    /** Every recipe. */
    public static List<Recipe> all() {
        return ALL;
    }

    /** The recipe called {@code name}; the error lists the known names. */
    public static Recipe byName(String name) {
        for (Recipe r : ALL) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown recipe '" + name + "'; known recipes: "
                + ALL.stream().map(Recipe::name).collect(Collectors.joining(", ")));
    }
}
