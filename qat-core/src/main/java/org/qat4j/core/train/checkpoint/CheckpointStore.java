package org.qat4j.core.train.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.io.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a run: {@code checkpoints/epoch-NNNN/} holds the DJL parameter file
 * ({@code model-NNNN.params}, written by {@link Model#save}) and {@code state.json}
 * ({@link TrainingState}). Each checkpoint directory is written in full under a temporary name and
 * renamed into place, then {@code checkpoints/latest.json} is replaced atomically to point at it; a
 * save that fails leaves the previous checkpoint and pointer as they were. The newest {@code keep}
 * checkpoints are kept.
 *
 * <p>Optimizer moments (Adam's m and v) are not part of DJL's public API and are not saved: a
 * resumed run restarts them, with its step count, data order and parameters continuing exactly.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
    private static final String MODEL_PREFIX = "model";
    private static final String STATE_FILE = "state.json";
    private static final String LATEST_FILE = "latest.json";

    private final Path directory;
    private final int keep;

    /**
     * @param directory the checkpoints directory (created on first save)
     * @param keep how many newest checkpoints to keep, at least 1
     */
    public CheckpointStore(Path directory, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        this.directory = directory;
        this.keep = keep;
    }

    /** Pointer file content. */
    record Latest(int epoch, String directory) {}

    /** The checkpoints directory. */
    public Path getDirectory() {
        return directory;
    }

    /** The directory a checkpoint of {@code epoch} lives in. */
    public Path checkpointDirectory(int epoch) {
        return directory.resolve(String.format("epoch-%04d", epoch));
    }

    /**
     * Saves the model's parameters and {@code state} as the checkpoint of epoch
     * {@code state.completedEpochs()} and makes it the latest.
     *
     * @return the checkpoint's directory
     * @throws IOException if anything fails; the previous latest checkpoint is then unchanged
     */
    public Path save(Model model, TrainingState state) throws IOException {
        int epoch = state.completedEpochs();
        Path target = checkpointDirectory(epoch);
        // A leftover from an earlier attempt at the same epoch (e.g. killed after the rename but before
        // latest.json moved) is not the latest, so it can be replaced.
        if (Files.exists(target) && latestEpoch().orElse(-1) != epoch) {
            AtomicFiles.deleteRecursively(target);
        }
        String previousEpochProperty = model.getProperty("Epoch");
        model.setProperty("Epoch", Integer.toString(epoch));
        try {
            AtomicFiles.writeDirectory(target, dir -> {
                model.save(dir, MODEL_PREFIX);
                StrictJson.write(dir.resolve(STATE_FILE), state);
            });
        } finally {
            if (previousEpochProperty != null) {
                model.setProperty("Epoch", previousEpochProperty);
            }
        }
        StrictJson.write(
                directory.resolve(LATEST_FILE),
                new Latest(epoch, target.getFileName().toString()));
        prune(epoch);
        return target;
    }

    /** The epoch of the latest complete checkpoint, if any. */
    public Optional<Integer> latestEpoch() throws IOException {
        return latestDirectory().map(d -> parseEpoch(d.getFileName().toString()));
    }

    /** The directory of the latest complete checkpoint, if any. */
    public Optional<Path> latestDirectory() throws IOException {
        Path pointer = directory.resolve(LATEST_FILE);
        if (Files.isRegularFile(pointer)) {
            Latest latest = StrictJson.read(pointer, Latest.class);
            Path dir = directory.resolve(latest.directory());
            if (Files.isRegularFile(dir.resolve(STATE_FILE))) {
                return Optional.of(dir);
            }
            LOG.warn(
                    "{} points at {}, which is incomplete; falling back to the newest complete checkpoint",
                    pointer,
                    dir);
        }
        // No pointer (killed between the directory rename and the pointer write of the first
        // checkpoint): every renamed directory is complete, so take the newest.
        List<Integer> epochs = listEpochs();
        for (int i = epochs.size() - 1; i >= 0; i--) {
            Path dir = checkpointDirectory(epochs.get(i));
            if (Files.isRegularFile(dir.resolve(STATE_FILE))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /**
     * Loads the latest checkpoint's parameters into {@code model} (whose block must have the same
     * structure) and returns its state; empty if there is no checkpoint. Call before creating a Trainer.
     */
    public Optional<TrainingState> restore(Model model) throws IOException {
        Optional<Path> latest = latestDirectory();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Path dir = latest.get();
        TrainingState state = StrictJson.read(dir.resolve(STATE_FILE), TrainingState.class);
        try {
            model.load(dir, MODEL_PREFIX);
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint " + dir + " does not fit this model: " + e.getMessage(), e);
        }
        return Optional.of(state);
    }

    /** Reads the latest checkpoint's state without touching a model. */
    public Optional<TrainingState> readLatestState() throws IOException {
        Optional<Path> latest = latestDirectory();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(StrictJson.read(latest.get().resolve(STATE_FILE), TrainingState.class));
    }

    private List<Integer> listEpochs() throws IOException {
        List<Integer> epochs = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return epochs;
        }
        try (var entries = Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    epochs.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        epochs.sort(null);
        return epochs;
    }

    private void prune(int latest) {
        try {
            List<Integer> epochs = listEpochs();
            int surplus = epochs.size() - keep;
            for (int i = 0; i < epochs.size() && surplus > 0; i++) {
                if (epochs.get(i) != latest) {
                    AtomicFiles.deleteRecursively(checkpointDirectory(epochs.get(i)));
                    surplus--;
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not remove old checkpoints in {}: {}", directory, e.getMessage());
        }
    }

    private static int parseEpoch(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalStateException("not a checkpoint directory name: " + name);
        }
        return Integer.parseInt(m.group(1));
    }
}
