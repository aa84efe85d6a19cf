package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.Trainer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.train.TrainingDivergedException;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;

class QatLoopEpochBodyTest {

    @TempDir
    Path dir;

    @Test
    void trainsThroughTheQatLoopAndCheckpointsEveryEpoch() throws Exception {
        try (Model model = TinyTraining.newModel()) {
            ResumableTraining training = ResumableTraining.builder()
                    .setModel(model)
                    .setCheckpointDirectory(dir.resolve("checkpoints"))
                    .setEpochs(4)
                    .setSeed(8)
                    .build();
            training.restoreOrStart();
            EpochSeededSampler sampler = new EpochSeededSampler(TinyTraining.BATCH, true, false, 8);
            TensorDataset train = TinyTraining.dataset(sampler);
            TensorDataset test = TinyTraining.dataset(new EpochSeededSampler(64, false, false, 0));
            try (Trainer trainer = TinyTraining.newTrainer(model, 8)) {
                TrainingState done = training.run(QatLoopEpochBody.builder()
                        .setTrainer(trainer)
                        .setTrainData(train)
                        .optValidationData(test)
                        .optSampler(sampler)
                        .optExtraMetrics(epoch -> Map.of("ebops", 1000.0 / epoch))
                        .build());
                assertEquals(4, done.completedEpochs());
                assertEquals(4L * TinyTraining.STEPS_PER_EPOCH, done.optimizerSteps());
                EpochRecord last = done.history().get(3);
                assertTrue(last.validationAccuracy() > 0.6, "tiny separable task not learned: " + last);
                assertTrue(last.trainLoss() < done.history().get(0).trainLoss());
                assertEquals(250.0, last.extra().get("ebops"));
                assertEquals(0.0, last.extra().get("lossTerms"));
                assertEquals(4, sampler.getEpoch(), "sampler advanced once per epoch from the epoch set");
            }
        }
    }

    @Test
    void aDivergedQatLoopStopsNamingTheLastGoodCheckpoint() throws Exception {
        try (Model model = TinyTraining.newModel()) {
            PoisonTermBlock poison = new PoisonTermBlock();
            ((SequentialBlock) model.getBlock()).add(poison);
            ResumableTraining training = ResumableTraining.builder()
                    .setModel(model)
                    .setCheckpointDirectory(dir.resolve("checkpoints"))
                    .setEpochs(3)
                    .setSeed(9)
                    .build();
            training.restoreOrStart();
            EpochSeededSampler sampler = new EpochSeededSampler(TinyTraining.BATCH, true, false, 9);
            TensorDataset train = TinyTraining.dataset(sampler);
            try (Trainer trainer = TinyTraining.newTrainer(model, 9)) {
                TrainingDivergedException e = assertThrows(
                        TrainingDivergedException.class,
                        () -> training.run(QatLoopEpochBody.builder()
                                .setTrainer(trainer)
                                .setTrainData(train)
                                .optSampler(sampler)
                                .optExtraMetrics(epoch -> {
                                    poison.poisoned = true; // after epoch 1 is measured: epoch 2 diverges
                                    return Map.of();
                                })
                                .build()));
                assertEquals(2, e.getEpoch());
                assertEquals(0, e.getBatch());
                assertEquals(dir.resolve("checkpoints").resolve("epoch-0001"), e.getLastGoodCheckpoint());
                assertInstanceOf(TrainingDivergedException.class, e.getCause());
                assertTrue(
                        e.getMessage().contains("epoch 2, batch 0")
                                && e.getMessage().contains("epoch-0001"),
                        e.getMessage());
                assertEquals(1, training.getStore().latestEpoch().orElseThrow());
            }
        }
    }
}
