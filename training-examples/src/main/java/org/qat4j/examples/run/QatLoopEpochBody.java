package org.qat4j.examples.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.EpochSummary;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.core.train.checkpoint.EpochContext;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.datasets.EpochSeededSampler;

/**
 * Trains one epoch of {@link ResumableTraining} with qat4j's {@link QatTrainingLoop} (task loss plus
 * every loss term of the model, constraints after each step) and measures the validation accuracy
 * (arg-max of the outputs against class-index labels). The epoch's data order comes from the
 * {@link EpochSeededSampler}, if given, so a resumed run sees the same batches.
 *
 * <pre>{@code
 * training.run(QatLoopEpochBody.builder().setTrainer(trainer).setTrainData(train)
 *         .optValidationData(test).optSampler(sampler).build());
 * }</pre>
 */
public final class QatLoopEpochBody implements ResumableTraining.EpochBody {

    private final Trainer trainer;
    private final Dataset train;
    private final Dataset validation;
    private final EpochSeededSampler sampler;
    private final List<EpochHook> hooks;
    private final IntFunction<Map<String, Double>> extraMetrics;

    private QatLoopEpochBody(Builder b) {
        this.trainer = b.trainer;
        this.train = b.train;
        this.validation = b.validation;
        this.sampler = b.sampler;
        this.hooks = List.copyOf(b.hooks);
        this.extraMetrics = b.extraMetrics;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EpochRecord train(EpochContext ctx) {
        long start = System.nanoTime();
        int zeroBased = ctx.epoch() - 1;
        if (sampler != null) {
            sampler.setEpoch(zeroBased);
        }
        QatTrainingLoop.Builder loop = QatTrainingLoop.builder()
                .setTrainer(trainer)
                .setEpochs(ctx.epoch())
                .optFirstEpoch(zeroBased);
        hooks.forEach(loop::addEpochHook);
        List<EpochSummary> summaries = loop.build().fit(train, null);
        EpochSummary summary = summaries.get(0);
        double accuracy = validation == null ? Double.NaN : accuracy(trainer, validation);
        Map<String, Double> extra = new TreeMap<>();
        extra.put("taskLoss", summary.meanTaskLoss());
        extra.put("lossTerms", summary.meanLossTerms());
        if (extraMetrics != null) {
            extra.putAll(extraMetrics.apply(ctx.epoch()));
        }
        return new EpochRecord(
                ctx.epoch(),
                summary.meanTaskLoss() + summary.meanLossTerms(),
                Double.NaN,
                accuracy,
                summary.batches(),
                (System.nanoTime() - start) / 1e9,
                extra);
    }

    /** Fraction of samples whose arg-max output equals the label (inference mode). */
    public static double accuracy(Trainer trainer, Dataset data) {
        long correct = 0;
        long total = 0;
        try {
            for (Batch batch : trainer.iterateDataset(data)) {
                try (batch) {
                    NDList out = trainer.evaluate(batch.getData());
                    NDArray labels = batch.getLabels().singletonOrThrow();
                    NDArray predicted = out.singletonOrThrow().argMax(1).toType(labels.getDataType(), false);
                    correct += predicted.eq(labels).sum().getLong();
                    total += batch.getSize();
                }
            }
        } catch (java.io.IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("cannot read the validation data: " + e.getMessage(), e);
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Builder in DJL's style. */
    public static final class Builder {
        private Trainer trainer;
        private Dataset train;
        private Dataset validation;
        private EpochSeededSampler sampler;
        private final List<EpochHook> hooks = new ArrayList<>();
        private IntFunction<Map<String, Double>> extraMetrics;

        /** The trainer (created after {@link ResumableTraining#restoreOrStart()}). */
        public Builder setTrainer(Trainer trainer) {
            this.trainer = trainer;
            return this;
        }

        /** The training data. */
        public Builder setTrainData(Dataset train) {
            this.train = train;
            return this;
        }

        /** Data whose accuracy is measured after each epoch. */
        public Builder optValidationData(Dataset validation) {
            this.validation = validation;
            return this;
        }

        /** The training data's sampler, set to each epoch before it runs. */
        public Builder optSampler(EpochSeededSampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /** An epoch hook for the loop (β schedules); epochs count from 0 there. */
        public Builder addEpochHook(EpochHook hook) {
            hooks.add(hook);
            return this;
        }

        /** Further values recorded per epoch (1-based epoch → name → value), e.g. EBOPs. */
        public Builder optExtraMetrics(IntFunction<Map<String, Double>> extraMetrics) {
            this.extraMetrics = extraMetrics;
            return this;
        }

        /** Validates and builds. */
        public QatLoopEpochBody build() {
            if (trainer == null) {
                throw new IllegalArgumentException("setTrainer(...) is required");
            }
            if (train == null) {
                throw new IllegalArgumentException("setTrainData(...) is required");
            }
            return new QatLoopEpochBody(this);
        }
    }
}
