package org.qat4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.qat4j.core.engine.NoGradScope;

/**
 * The quantization-aware training loop shared by HGQ and A2Q: DJL's {@code EasyTrain.fit} with the
 * two things QAT needs added.
 *
 * <ol>
 *   <li>Loss = task loss + Σ {@link LossContributor} terms, inside the gradient collector
 *       (HGQ's {@code β·EBOPs} and bit L1, arXiv 2405.00645 eq. 12; A2Q's norm penalty, arXiv
 *       2308.13504 §4).
 *   <li>After every optimizer step, every {@link StepConstraint} restores its constraint in a
 *       {@link NoGradScope}.
 * </ol>
 *
 * <p>Per batch: forward, loss, NaN/Inf check (throws {@link TrainingDivergedException} before any
 * update), backward, {@code trainer.step()}, constraints, then the listeners'
 * {@code onTrainingBatch} — so DJL's progress bar, metrics and logging keep working. Per epoch:
 * {@link RangeObserver#resetRanges()} and {@link EpochHook#beforeEpoch}, the batches, validation
 * through {@code trainer.evaluate}, {@code onEpoch}, then {@link EpochHook#afterEpoch}.
 *
 * <p>Lifecycle: build once per trainer; {@link #fit} may be called again to continue (pass the
 * first epoch with {@link Builder#optFirstEpoch} when resuming).
 */
public final class QatTrainingLoop {

    private final Trainer trainer;
    private final int epochs;
    private final int firstEpoch;
    private final List<EpochHook> hooks;
    private final List<LossContributor> contributors;
    private final List<StepConstraint> constraints;
    private final List<RangeObserver> observers;

    private QatTrainingLoop(Builder b) {
        this.trainer = b.trainer;
        this.epochs = b.epochs;
        this.firstEpoch = b.firstEpoch;
        this.hooks = List.copyOf(b.hooks);
        var root = trainer.getModel().getBlock();
        this.contributors = BlockTrees.find(root, LossContributor.class);
        this.constraints = BlockTrees.find(root, StepConstraint.class);
        this.observers = BlockTrees.find(root, RangeObserver.class);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The loss contributors found in the model's block tree. */
    public List<LossContributor> getContributors() {
        return contributors;
    }

    /** The step constraints found in the model's block tree. */
    public List<StepConstraint> getConstraints() {
        return constraints;
    }

    /**
     * Trains epochs {@code firstEpoch .. epochs-1}.
     *
     * @param train the training set
     * @param validation the validation set, or null
     * @return one summary per epoch trained
     */
    public List<EpochSummary> fit(Dataset train, Dataset validation) {
        List<EpochSummary> summaries = new ArrayList<>();
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            observers.forEach(RangeObserver::resetRanges);
            for (EpochHook hook : hooks) {
                hook.beforeEpoch(epoch);
            }
            EpochSummary summary = trainEpoch(epoch, train);
            if (validation != null) {
                validate(validation);
            }
            trainer.notifyListeners(listener -> listener.onEpoch(trainer));
            for (EpochHook hook : hooks) {
                hook.afterEpoch(epoch, summary);
            }
            summaries.add(summary);
        }
        return summaries;
    }

    private EpochSummary trainEpoch(int epoch, Dataset train) {
        long batches = 0;
        double taskSum = 0;
        double termSum = 0;
        for (Batch batch : iterate(train)) {
            try (batch) {
                float[] losses = trainBatch(epoch, batches, batch);
                taskSum += losses[0];
                termSum += losses[1];
                batches++;
            }
        }
        return new EpochSummary(
                epoch, batches, batches == 0 ? 0 : taskSum / batches, batches == 0 ? 0 : termSum / batches);
    }

    /** Returns {task loss, sum of loss terms} of the batch. */
    private float[] trainBatch(int epoch, long index, Batch batch) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        Map<ai.djl.Device, NDList> labels = new ConcurrentHashMap<>();
        Map<ai.djl.Device, NDList> predictions = new ConcurrentHashMap<>();
        float task = 0;
        float terms = 0;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (Batch split : splits) {
                NDList data = split.getData();
                NDList splitLabels = split.getLabels();
                NDList preds = trainer.forward(data, splitLabels);
                long time = System.nanoTime();
                NDArray taskLoss = trainer.getLoss().evaluate(splitLabels, preds);
                NDArray total = taskLoss;
                NDArray termTotal = null;
                for (LossContributor contributor : contributors) {
                    NDArray term = contributor.lossTerm(split.getManager());
                    termTotal = termTotal == null ? term : termTotal.add(term);
                }
                if (termTotal != null) {
                    total = taskLoss.add(termTotal);
                }
                float taskValue = taskLoss.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                        .getFloat();
                float termValue = termTotal == null
                        ? 0f
                        : termTotal
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                .getFloat();
                if (!Float.isFinite(taskValue) || !Float.isFinite(termValue)) {
                    throw new TrainingDivergedException(
                            epoch,
                            index,
                            taskValue + termValue,
                            "task loss " + taskValue + ", added terms " + termValue);
                }
                task += taskValue;
                terms += termValue;
                collector.backward(total);
                trainer.addMetric("backward", time);
                labels.put(splitLabels.get(0).getDevice(), splitLabels);
                predictions.put(preds.get(0).getDevice(), preds);
            }
        }
        trainer.step();
        if (!constraints.isEmpty()) {
            try (NoGradScope ignored = NoGradScope.open()) {
                constraints.forEach(StepConstraint::afterStep);
            }
        }
        BatchData batchData = new BatchData(batch, labels, predictions);
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, batchData));
        return new float[] {task / splits.length, terms / splits.length};
    }

    private void validate(Dataset validation) {
        for (Batch batch : iterate(validation)) {
            try (batch) {
                Batch[] splits = batch.split(trainer.getDevices(), false);
                Map<ai.djl.Device, NDList> labels = new ConcurrentHashMap<>();
                Map<ai.djl.Device, NDList> predictions = new ConcurrentHashMap<>();
                for (Batch split : splits) {
                    NDList preds = trainer.evaluate(split.getData());
                    labels.put(split.getLabels().get(0).getDevice(), split.getLabels());
                    predictions.put(preds.get(0).getDevice(), preds);
                }
                BatchData batchData = new BatchData(batch, labels, predictions);
                trainer.notifyListeners(listener -> listener.onValidationBatch(trainer, batchData));
            }
        }
    }

    private Iterable<Batch> iterate(Dataset dataset) {
        try {
            return trainer.iterateDataset(dataset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset: " + e.getMessage(), e);
        } catch (TranslateException e) {
            throw new IllegalStateException("cannot batch the dataset: " + e.getMessage(), e);
        }
    }

    /** Builder in DJL's style: {@code setX} for required settings, {@code optX} for optional ones. */
    public static final class Builder {
        private Trainer trainer;
        private int epochs = -1;
        private int firstEpoch;
        private final List<EpochHook> hooks = new ArrayList<>();

        private Builder() {}

        /** The trainer; its model's block tree is searched for contributors and constraints. */
        public Builder setTrainer(Trainer trainer) {
            this.trainer = trainer;
            return this;
        }

        /** The epoch to stop before (the total number of epochs of the run). */
        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** The first epoch to train, when resuming a run (default 0). */
        public Builder optFirstEpoch(int firstEpoch) {
            this.firstEpoch = firstEpoch;
            return this;
        }

        /** Adds a hook called around every epoch, in the order added. */
        public Builder addEpochHook(EpochHook hook) {
            hooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        public QatTrainingLoop build() {
            if (trainer == null) {
                throw new IllegalArgumentException("trainer is required: call setTrainer(trainer)");
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (firstEpoch < 0 || firstEpoch > epochs) {
                throw new IllegalArgumentException(
                        "firstEpoch must be in [0, epochs=" + epochs + "], got " + firstEpoch);
            }
            return new QatTrainingLoop(this);
        }
    }
}
