package org.qat4j.core.train.checkpoint;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.qat4j.core.train.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs training epoch by epoch with a checkpoint after every epoch, so a killed run resumes with the
 * next epoch and loses none. Lifecycle: {@link #restoreOrStart()} (loads the latest checkpoint into
 * the model when resuming; call it before creating the Trainer, which caches parameter arrays), then
 * {@link #run(EpochBody)}.
 *
 * <pre>{@code
 * ResumableTraining training = ResumableTraining.builder().setModel(model)
 *         .setCheckpointDirectory(Path.of("run", "checkpoints")).setEpochs(10).setSeed(7).optResume(true).build();
 * TrainingState start = training.restoreOrStart();
 * try (Trainer trainer = model.newTrainer(config)) {
 *     trainer.initialize(inputShape);
 *     TrainingState done = training.run(ctx -> trainOneEpoch(trainer, ctx));
 * }
 * }</pre>
 */
public final class ResumableTraining {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableTraining.class);

    /** Trains one epoch. */
    @FunctionalInterface
    public interface EpochBody {
        /**
         * Trains epoch {@code ctx.epoch()}; calls {@link EpochContext#checkLoss} on each batch's loss.
         *
         * @return what the epoch measured, with {@code epoch == ctx.epoch()}
         */
        EpochRecord train(EpochContext ctx) throws Exception;
    }

    /** Told after each checkpoint is safely on disk (progress output, live plots). */
    @FunctionalInterface
    public interface CheckpointListener {
        /** Epoch {@code state.completedEpochs()} is saved in {@code checkpoint}. */
        void saved(TrainingState state, Path checkpoint) throws IOException;
    }

    private final Model model;
    private final CheckpointListener listener;
    private final CheckpointStore store;
    private final int epochs;
    private final long seed;
    private final boolean resume;
    private TrainingState state;

    private ResumableTraining(Builder b) {
        this.model = b.model;
        this.store = new CheckpointStore(b.checkpointDirectory, b.keep);
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.resume = b.resume;
        this.listener = b.listener;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The checkpoint store. */
    public CheckpointStore getStore() {
        return store;
    }

    /**
     * Loads the latest checkpoint into the model when resuming (and one exists); otherwise starts
     * fresh. A fresh start with checkpoints present and no resume fails rather than overwrite them.
     */
    public TrainingState restoreOrStart() throws IOException {
        Optional<Integer> latest = store.latestEpoch();
        if (resume) {
            Optional<TrainingState> restored = store.restore(model);
            if (restored.isPresent()) {
                TrainingState s = restored.get();
                if (s.seed() != seed) {
                    throw new IllegalArgumentException("resume: the checkpoint in " + store.getDirectory()
                            + " was trained with seed " + s.seed() + ", but this run has seed " + seed);
                }
                LOG.info(
                        "Resuming from epoch {} ({} steps) in {}",
                        s.completedEpochs(),
                        s.optimizerSteps(),
                        store.getDirectory());
                state = s;
                return s;
            }
        } else if (latest.isPresent()) {
            throw new IllegalStateException(store.getDirectory() + " already holds a checkpoint of epoch "
                    + latest.get() + "; pass --resume to continue it, or choose another output directory");
        }
        state = TrainingState.fresh(seed);
        return state;
    }

    /**
     * Trains the remaining epochs, saving a checkpoint after each.
     *
     * @return the final state
     * @throws TrainingDivergedException if a loss becomes NaN/Inf; the last good checkpoint is kept and named
     */
    public TrainingState run(EpochBody body) throws IOException {
        if (state == null) {
            throw new IllegalStateException("call restoreOrStart() before run()");
        }
        while (state.completedEpochs() < epochs) {
            int epoch = state.completedEpochs() + 1;
            Path lastGood = store.latestDirectory().orElse(null);
            EpochContext ctx = new EpochContext(epoch, epochs, seed, state.optimizerSteps(), lastGood);
            EpochRecord record;
            try {
                record = body.train(ctx);
            } catch (TrainingDivergedException e) {
                if (e.getLastGoodCheckpoint() != null) {
                    throw e;
                }
                // QatTrainingLoop's own guard (or a check before the first checkpoint): the run's stop,
                // told with this epoch and the checkpoint to resume from.
                TrainingDivergedException stop =
                        TrainingDivergedException.inRun(epoch, e.getBatch(), e.getLoss(), lastGood);
                stop.initCause(e);
                throw stop;
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("epoch " + epoch + " failed: " + e.getMessage(), e);
            }
            if (record == null || record.epoch() != epoch) {
                throw new IllegalStateException("the epoch body must return the record of epoch " + epoch + ", got "
                        + (record == null ? "null" : "epoch " + record.epoch()));
            }
            if (!Double.isFinite(record.trainLoss())) {
                throw TrainingDivergedException.inRun(epoch, -1, record.trainLoss(), lastGood);
            }
            TrainingState next = state.plus(record);
            Path saved = store.save(model, next);
            state = next;
            if (listener != null) {
                listener.saved(next, saved);
            }
            LOG.info(
                    "Epoch {}/{}: loss {} validation accuracy {} ({} s)",
                    epoch,
                    epochs,
                    record.trainLoss(),
                    record.validationAccuracy(),
                    String.format("%.1f", record.seconds()));
        }
        return state;
    }

    /** The current state (after {@link #restoreOrStart()}). */
    public TrainingState getState() {
        return state;
    }

    /** Builder in DJL's style. */
    public static final class Builder {
        private Model model;
        private Path checkpointDirectory;
        private int epochs = -1;
        private long seed;
        private boolean seedSet;
        private boolean resume;
        private int keep = 2;
        private CheckpointListener listener;

        /** The model whose parameters are checkpointed. */
        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        /** Where checkpoints go (e.g. {@code RUN/checkpoints}). */
        public Builder setCheckpointDirectory(Path checkpointDirectory) {
            this.checkpointDirectory = checkpointDirectory;
            return this;
        }

        /** Total epochs of the run. */
        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** The run's seed. */
        public Builder setSeed(long seed) {
            this.seed = seed;
            this.seedSet = true;
            return this;
        }

        /** Continue from the latest checkpoint (default false). */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** How many newest checkpoints to keep (default 2). */
        public Builder optKeep(int keep) {
            this.keep = keep;
            return this;
        }

        /** Called after every checkpoint is saved. */
        public Builder optCheckpointListener(CheckpointListener listener) {
            this.listener = listener;
            return this;
        }

        /** Validates and builds. */
        public ResumableTraining build() {
            if (model == null) {
                throw new IllegalArgumentException("setModel(...) is required");
            }
            if (checkpointDirectory == null) {
                throw new IllegalArgumentException("setCheckpointDirectory(...) is required");
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (!seedSet) {
                throw new IllegalArgumentException("setSeed(...) is required");
            }
            if (keep < 1) {
                throw new IllegalArgumentException("keep must be >= 1, got " + keep);
            }
            return new ResumableTraining(this);
        }
    }
}
