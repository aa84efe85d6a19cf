package org.qat4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.RecipePlan;
import org.qat4j.examples.recipe.RecipeRunner;
import org.qat4j.examples.recipe.RecipeSettings;
import org.qat4j.examples.recipe.Recipes;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat export --run DIR}: re-exports a run directory's latest checkpoint (calibration, integer
 * model, certificate, checker, bit-exact check, metrics and plots), with the settings the run was
 * trained with.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Re-export a run directory's latest checkpoint: integer model, certificate, verification, metrics.")
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory written by qat train.")
    Path run;

    @Override
    public Integer call() throws Exception {
        RecipeSettings settings = RecipeRunner.readSettings(run);
        Recipe recipe;
        try {
            recipe = Recipes.byName(settings.recipe());
        } catch (IllegalArgumentException e) {
            throw UserError.input("--run " + run + ": " + e.getMessage(), e);
        }
        RecipePlan plan;
        try {
            plan = recipe.plan(settings);
        } catch (IllegalArgumentException e) {
            throw UserError.input("--run " + run + ": its run.json does not make a valid run: " + e.getMessage(), e);
        }
        RunMetrics m;
        try {
            m = new RecipeRunner(plan, RunDirectory.of(run), System.out).reexport();
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage()); // e.g. a --variant float run has no integer model
        }
        return TrainCommand.verdict(plan, m);
    }
}
