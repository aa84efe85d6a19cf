package org.qat4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.RecipePlan;
import org.qat4j.examples.recipe.RecipeRunner;
import org.qat4j.examples.recipe.Recipes;
import org.qat4j.examples.run.NonFiniteLossException;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qat train RECIPE}: trains, calibrates, exports the integer model, writes and checks the
 * overflow certificate, verifies bit-exactness on the test set, evaluates the integer model with the
 * pure-Java runtime and writes {@code metrics.json} and plots into {@code --out}. Exit 0 only when the
 * certificate holds and no output differs.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a recipe end to end: train, export, certify, verify, evaluate, plot. See: qat recipes")
public final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RECIPE", defaultValue = Recipes.DEFAULT,
            description = "Recipe name (default ${DEFAULT-VALUE}); list them with: qat recipes")
    String recipe;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/RECIPE).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its latest checkpoint.")
    boolean resume;

    @Mixin
    RecipeOptions options = new RecipeOptions();

    @Override
    public Integer call() throws Exception {
        RecipePlan plan;
        try {
            Recipe r = Recipes.byName(recipe);
            plan = r.plan(options.resolve(r));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path dir = out != null ? out : Path.of("runs", recipe);
        try {
            RunMetrics m = new RecipeRunner(plan, RunDirectory.create(dir), System.out).train(resume);
            if (!plan.exportsIntegerModel()) {
                return 0; // a float run has nothing to certify
            }
            return Boolean.TRUE.equals(m.getCertificateValid()) && m.getBitExactMismatches() == 0 ? 0 : 1;
        } catch (NonFiniteLossException | IllegalStateException | IllegalArgumentException e) {
            System.err.println("qat train " + recipe + ": " + e.getMessage());
            return 1;
        }
    }
}
