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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qat train RECIPE}: trains, calibrates, exports the integer model, writes and checks the
 * overflow certificate, verifies bit-exactness on the test set, evaluates the integer model with the
 * pure-Java runtime and writes {@code metrics.json} and plots into {@code --out}. Exit codes: {@link ExitCode}.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a recipe end to end: train, export, certify, verify, evaluate, plot. See: qat recipes")
public final class TrainCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "RECIPE",
            defaultValue = Recipes.DEFAULT,
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
        RecipePlan plan = plan(recipe, options);
        checkInitFrom(plan);
        Path dir = out != null ? out : Path.of("runs", recipe);
        RunMetrics m = new RecipeRunner(plan, RunDirectory.of(dir), System.out).train(resume);
        return verdict(plan, m);
    }

    /** Checks the options and, reading only, the run directory: what {@link #call} would refuse first. */
    void preflight() throws java.io.IOException {
        RecipePlan plan = plan(recipe, options);
        checkInitFrom(plan);
        new RecipeRunner(plan, RunDirectory.of(out != null ? out : Path.of("runs", recipe)), System.out).check(resume);
    }

    /** A fresh run's {@code --init-from} must be a run it can start from (a resumed run does not read it again). */
    private void checkInitFrom(RecipePlan plan) throws java.io.IOException {
        if (resume) {
            return;
        }
        try {
            plan.checkInitFrom();
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    /** The plan of {@code name} with the options given; a bad option is a {@link UserError}. */
    static RecipePlan plan(String name, RecipeOptions options) {
        Recipe r;
        try {
            r = Recipes.byName(name);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        RecipeSettings settings = options.resolve(r);
        try {
            return r.plan(settings);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    /**
     * {@link ExitCode#OK} only when the certificate holds and no output differs; a float run
     * ({@code --variant float}) has nothing to certify.
     */
    static int verdict(RecipePlan plan, RunMetrics m) {
        if (!plan.exportsIntegerModel()) {
            return ExitCode.OK;
        }
        return Boolean.TRUE.equals(m.getCertificateValid()) && m.getBitExactMismatches() == 0
                ? ExitCode.OK
                : ExitCode.FAILED;
    }
}
