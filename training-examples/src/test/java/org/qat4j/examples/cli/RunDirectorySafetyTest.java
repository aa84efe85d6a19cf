package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.qat4j.examples.cli.ErrorHandlingTest.assertClearError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.RecipeDefaults;
import org.qat4j.examples.recipe.RecipeRunner;
import org.qat4j.examples.recipe.RecipeSettings;
import org.qat4j.examples.recipe.Recipes;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunLock;
import org.qat4j.runtime.io.StrictJson;

/** A refused command never changes a run directory: every byte and timestamp stays as it was. */
class RunDirectorySafetyTest {

    @TempDir
    Path dir;

    Path run;

    @BeforeEach
    void aRunOfTheDefaultRecipeWithDefaultOptions() throws IOException {
        run = dir.resolve("run");
        Recipe r = Recipes.byName(Recipes.DEFAULT);
        RecipeDefaults d = r.defaults();
        StrictJson.write(
                run.resolve(RecipeRunner.SETTINGS_FILE),
                new RecipeSettings(
                        r.name(),
                        d.epochs(),
                        d.batchSize(),
                        d.learningRate(),
                        d.trainLimit(),
                        42,
                        null,
                        null,
                        null,
                        null,
                        null));
        Files.createDirectories(run.resolve("checkpoints/epoch-0001"));
        Files.writeString(run.resolve("checkpoints/epoch-0001/state.json"), "{}");
        Files.writeString(run.resolve("checkpoints/latest.json"), "{\"epoch\": 1}");
    }

    private void finish() throws IOException {
        Files.writeString(run.resolve("metrics.json"), "{\"recipe\": \"" + Recipes.DEFAULT + "\"}");
        Files.writeString(run.resolve("integer-model.json"), "{}");
    }

    /** Every file's bytes and modification time, and every directory. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(run)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                m.put(
                        run.relativize(p).toString(),
                        Files.isDirectory(p) ? "dir" : Files.getLastModifiedTime(p) + " " + Files.readString(p));
            }
        }
        return m;
    }

    @Test
    void aFinishedRunIsNeverTouched() throws IOException {
        finish();
        Map<String, String> before = snapshot();
        assertClearError(
                CliCapture.run("train", "--out", run.toString()),
                ExitCode.RUN_REFUSED,
                "--out " + run + " holds a finished run",
                "qat export --run");
        assertClearError(
                CliCapture.run("train", "--out", run.toString(), "--epochs", "3", "--seed", "7"),
                ExitCode.RUN_REFUSED,
                "holds a finished run");
        assertClearError(
                CliCapture.run("train", "--out", run.toString(), "--resume", "--epochs", "99", "--seed", "7"),
                ExitCode.RUN_REFUSED,
                "--epochs 99 (the run has "
                        + Recipes.byName(Recipes.DEFAULT).defaults().epochs() + ")",
                "--seed 7 (the run has 42)");
        assertClearError(
                CliCapture.run("train", "--out", run.toString(), "--resume"), ExitCode.RUN_REFUSED, "has finished");
        assertEquals(before, snapshot());
    }

    @Test
    void anUnfinishedRunIsContinuedOnlyWithResumeAndItsOwnOptions() throws IOException {
        Map<String, String> before = snapshot();
        assertClearError(
                CliCapture.run("train", "--out", run.toString()),
                ExitCode.RUN_REFUSED,
                "holds an unfinished run; continue it with --resume");
        assertClearError(
                CliCapture.run("train", "a2q-fashion-cnn", "--out", run.toString(), "--resume"),
                ExitCode.RUN_REFUSED,
                "RECIPE a2q-fashion-cnn (the run has " + Recipes.DEFAULT + ")");
        assertEquals(before, snapshot());
    }

    @Test
    void aRunInUseIsRefusedNamingTheProcess() throws IOException {
        Map<String, String> before = snapshot();
        try (RunLock lock = RunDirectory.of(run).lock()) {
            // Under the lock the settings match: only the lock refuses the command.
            assertClearError(
                    CliCapture.run("train", "--out", run.toString(), "--resume"),
                    ExitCode.RUN_REFUSED,
                    "in use by another qat process (pid "
                            + ProcessHandle.current().pid() + ")");
        }
        assertEquals(before, snapshot());
    }

    @Test
    void aDirectoryThatIsNoRunOrAFileIsRefused() throws IOException {
        Path other = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(other.resolve("cat.jpg"), "meow");
        assertClearError(
                CliCapture.run("train", "--out", other.toString()),
                ExitCode.RUN_REFUSED,
                "is not empty and is not a qat run (it holds cat.jpg)");
        assertClearError(
                CliCapture.run("train", "--out", other.toString(), "--resume"),
                ExitCode.RUN_REFUSED,
                "holds no run.json");
        assertEquals("meow", Files.readString(other.resolve("cat.jpg")));
        Path file = other.resolve("cat.jpg");
        assertClearError(CliCapture.run("train", "--out", file.toString()), ExitCode.RUN_REFUSED, "is a file");
    }
}
