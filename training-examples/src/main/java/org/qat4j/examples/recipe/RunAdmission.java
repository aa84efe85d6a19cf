package org.qat4j.examples.recipe;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunRefusedException;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * Decides, by reading only, whether {@code qat train} may use a run directory, so a refused command changes
 * nothing on disk: a fresh run needs a new or empty directory; {@code --resume} needs the run's own
 * settings ({@code run.json}) and an unfinished run. A failed fresh run that wrote no checkpoint is removed
 * again ({@link #undo}), so it never blocks the next attempt.
 */
final class RunAdmission {

    /** The command-line option of every {@link RecipeSettings} component, for messages in the user's words. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("recipe", "RECIPE"),
            Map.entry("epochs", "--epochs"),
            Map.entry("batchSize", "--batch-size"),
            Map.entry("learningRate", "--learning-rate"),
            Map.entry("trainLimit", "--train-limit"),
            Map.entry("seed", "--seed"),
            Map.entry("variant", "--variant"),
            Map.entry("accumulatorBits", "--acc-bits"),
            Map.entry("beta", "--beta"),
            Map.entry("dataFile", "--data"),
            Map.entry("dataDirectory", "--data-dir"),
            Map.entry("uniformBits", "--uniform-bits"),
            Map.entry("uniformActivationBits", "--uniform-act-bits"),
            Map.entry("initFrom", "--init-from"));

    /** Entries a run directory may hold without being a run: the lock file a killed process left. */
    private static final String LOCK = ".lock";

    private RunAdmission() {}

    /**
     * Refuses, without writing anything, a directory {@code qat train} must not use.
     *
     * @throws RunRefusedException naming the directory, why and what to do
     */
    static void check(RunDirectory run, RecipeSettings settings, boolean resume) throws IOException {
        Path root = run.root();
        if (!Files.exists(root)) {
            return;
        }
        if (!Files.isDirectory(root)) {
            throw new RunRefusedException("--out " + root + " is a file, not a directory; choose another --out");
        }
        Path settingsFile = root.resolve(RecipeRunner.SETTINGS_FILE);
        boolean finished = Files.exists(run.metricsJson());
        if (!resume) {
            if (Files.exists(settingsFile)) {
                throw new RunRefusedException(
                        finished
                                ? "--out " + root
                                        + " holds a finished run; choose another --out (or re-export it with: qat export --run "
                                        + root + ")"
                                : "--out " + root
                                        + " holds an unfinished run; continue it with --resume and its options, or choose another --out");
            }
            if (!otherEntries(root).isEmpty()) {
                throw new RunRefusedException("--out " + root + " is not empty and is not a qat run (it holds "
                        + otherEntries(root).get(0).getFileName() + "); choose a new or empty --out");
            }
            return;
        }
        if (!Files.exists(settingsFile)) {
            if (!otherEntries(root).isEmpty()) {
                throw new RunRefusedException("--resume: " + root + " holds no " + RecipeRunner.SETTINGS_FILE
                        + ", so it is not a run of qat train; nothing to resume");
            }
            return;
        }
        RecipeSettings saved = RecipeRunner.readSettings(root);
        List<String> differences = differences(saved, settings);
        if (!differences.isEmpty()) {
            throw new RunRefusedException("--resume: the run in " + root + " was started with other options: "
                    + String.join(", ", differences) + "; resume with the run's options");
        }
        if (finished) {
            throw new RunRefusedException("--resume: the run in " + root + " has finished (metrics.json); nothing to "
                    + "resume (re-export it with: qat export --run " + root + ")");
        }
    }

    /** What differs, in the user's words: {@code --epochs 3 (the run has 1)}. */
    static List<String> differences(RecipeSettings saved, RecipeSettings given) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : RecipeSettings.class.getRecordComponents()) {
            try {
                Object was = c.getAccessor().invoke(saved);
                Object now = c.getAccessor().invoke(given);
                if (!Objects.equals(was, now)) {
                    String option = OPTIONS.getOrDefault(c.getName(), c.getName());
                    out.add(option + " " + (now == null ? "not given" : now) + " (the run has "
                            + (was == null ? "it not given" : was) + ")");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /**
     * Removes what a failed fresh run wrote (call it holding the run's lock), when it saved no checkpoint:
     * its settings and partial checkpoints. A run with a checkpoint is kept for {@code --resume}.
     */
    static void undo(RunDirectory run) throws IOException {
        if (new CheckpointStore(run.checkpoints(), 1).latestEpoch().isPresent()) {
            return;
        }
        AtomicFiles.deleteRecursively(run.checkpoints());
        AtomicFiles.deleteRecursively(run.plots());
        Files.deleteIfExists(run.metricsJson());
        Files.deleteIfExists(run.root().resolve(RecipeRunner.SETTINGS_FILE));
    }

    /** Removes the run directory this command created if nothing is left in it (best effort). */
    static void removeIfEmpty(RunDirectory run) {
        try (Stream<Path> entries = Files.list(run.root())) {
            if (entries.findAny().isEmpty()) {
                Files.deleteIfExists(run.root());
            }
        } catch (IOException e) {
            // another process started in it, or it is gone: either way nothing of ours is left
        }
    }

    private static List<Path> otherEntries(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> !p.getFileName().toString().equals(LOCK))
                    .sorted()
                    .toList();
        }
    }
}
