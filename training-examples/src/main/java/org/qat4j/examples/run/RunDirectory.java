package org.qat4j.examples.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.core.train.checkpoint.CheckpointStore;

/**
 * The layout of a run's output directory ({@code --out}): {@code checkpoints/},
 * {@code metrics.json}, {@code certificate.json}, {@code integer-model.EXT} and {@code plots/}.
 */
public final class RunDirectory {

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** The run directory {@code root}, which need not exist yet; nothing is created. */
    public static RunDirectory of(Path root) {
        return new RunDirectory(root);
    }

    /** Creates (if needed) the run directory {@code root}. */
    public static RunDirectory create(Path root) throws IOException {
        Files.createDirectories(root);
        if (!Files.isWritable(root)) {
            throw new IOException("run directory " + root.toAbsolutePath() + " is not writable");
        }
        return new RunDirectory(root);
    }

    /** The run directory. */
    public Path root() {
        return root;
    }

    /** Checkpoints of the training (see {@link CheckpointStore}). */
    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /** {@code metrics.json}. */
    public Path metricsJson() {
        return root.resolve("metrics.json");
    }

    /** {@code certificate.json}. */
    public Path certificateJson() {
        return root.resolve("certificate.json");
    }

    /** {@code integer-model.EXT}, e.g. {@code integerModel("json")}. */
    public Path integerModel(String extension) {
        return root.resolve("integer-model." + extension);
    }

    /** Takes the run directory's exclusive lock (see {@link RunLock}); close it when the run ends. */
    public RunLock lock() throws IOException {
        return RunLock.acquire(root);
    }

    /** The plots folder. */
    public Path plots() {
        return root.resolve("plots");
    }
}
