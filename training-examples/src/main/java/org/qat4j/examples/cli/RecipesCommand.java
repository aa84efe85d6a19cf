package org.qat4j.examples.cli;

import java.util.concurrent.Callable;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.RecipeDefaults;
import org.qat4j.examples.recipe.Recipes;
import picocli.CommandLine.Command;

/** Lists the recipes {@code qat train} runs, one line each, with their default settings. */
@Command(
        name = "recipes",
        mixinStandardHelpOptions = true,
        description = "List the training recipes (one line each); run one with: qat train NAME")
public final class RecipesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (Recipe r : Recipes.all()) {
            RecipeDefaults d = r.defaults();
            System.out.printf(
                    "%-16s %s%s [epochs %d, batch %d, lr %s%s]%n",
                    r.name(),
                    r.description(),
                    r.name().equals(Recipes.DEFAULT) ? " (default)" : "",
                    d.epochs(),
                    d.batchSize(),
                    d.learningRate(),
                    d.trainLimit() > 0 ? ", train limit " + d.trainLimit() : "");
        }
        return 0;
    }
}
