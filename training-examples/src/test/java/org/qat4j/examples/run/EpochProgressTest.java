package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;

/** Progress is printed while training runs: each epoch's line as that epoch ends, a bar within it on a terminal. */
class EpochProgressTest {

    @TempDir
    Path dir;

    @Test
    void eachEpochIsToldAsItEndsAndTheBarMovesWithinIt() throws Exception {
        for (boolean terminal : new boolean[] {true, false}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            EpochProgress progress = new EpochProgress(out, terminal, 3, TinyTraining.STEPS_PER_EPOCH);
            List<String> seenBeforeEpoch = new ArrayList<>();
            try (Model model = TinyTraining.newModel()) {
                ResumableTraining training = ResumableTraining.builder()
                        .setModel(model)
                        .setCheckpointDirectory(dir.resolve("run-" + terminal).resolve("checkpoints"))
                        .setEpochs(3)
                        .setSeed(1)
                        .optCheckpointListener(progress)
                        .build();
                training.restoreOrStart();
                DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(0.02f))
                                .build())
                        .addTrainingListeners(progress);
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(1, TinyTraining.FEATURES));
                    EpochSeededSampler sampler = new EpochSeededSampler(TinyTraining.BATCH, true, false, 1);
                    TensorDataset data = TinyTraining.dataset(sampler);
                    QatLoopEpochBody body = QatLoopEpochBody.builder()
                            .setTrainer(trainer)
                            .setTrainData(data)
                            .optValidationData(data)
                            .optSampler(sampler)
                            .addEpochHook(progress)
                            .build();
                    training.run(ctx -> {
                        seenBeforeEpoch.add(bytes.toString(StandardCharsets.UTF_8));
                        return body.train(ctx);
                    });
                }
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            assertFalse(seenBeforeEpoch.get(0).contains("epoch 1/3: test accuracy"), seenBeforeEpoch.get(0));
            assertTrue(
                    seenBeforeEpoch.get(1).contains("epoch 1/3: test accuracy"), "epoch 1 untold when epoch 2 began");
            assertTrue(
                    seenBeforeEpoch.get(2).contains("epoch 2/3: test accuracy"), "epoch 2 untold when epoch 3 began");
            assertTrue(text.contains("epoch 3/3: test accuracy"), text);
            assertTrue(
                    text.matches("(?s).*epoch 1/3: test accuracy 0\\.\\d{4}, task loss \\d+\\.\\d{4}, "
                            + "regularizer .*, \\d+\\.\\d s\\n.*"),
                    text);
            String bar = "\r  epoch 1/3 [" + "#".repeat(30) + "] " + TinyTraining.STEPS_PER_EPOCH + "/"
                    + TinyTraining.STEPS_PER_EPOCH + " batches";
            assertEquals(terminal, text.contains(bar), text);
            assertEquals(terminal, text.contains("\r"), "carriage returns only on a terminal");
        }
    }
}
