package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.train.TrainingDivergedException;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.core.train.checkpoint.EpochContext;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    private static List<int[]> parameterBits(Model model) {
        List<int[]> bits = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            float[] v = p.getValue().getArray().toFloatArray();
            int[] b = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = Float.floatToRawIntBits(v[i]);
            }
            bits.add(b);
        }
        return bits;
    }

    private List<String> checkpointNames(Path checkpoints) throws IOException {
        try (var s = Files.list(checkpoints)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void restoresParametersBitForBitAndKeepsTheNewestTwo() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        CheckpointStore store = new CheckpointStore(checkpoints, 2);
        List<int[]> atEpoch3;
        try (Model model = TinyTraining.newModel();
                Trainer trainer = TinyTraining.newTrainer(model, 1)) {
            EpochSeededSampler sampler = new EpochSeededSampler(32, true, false, 1);
            TensorDataset data = TinyTraining.dataset(sampler);
            TrainingState state = TrainingState.fresh(1);
            for (int e = 1; e <= 3; e++) {
                EpochRecord r = TinyTraining.trainEpoch(
                        trainer, data, sampler, new EpochContext(e, 3, 1, state.optimizerSteps(), null), -1, 0);
                state = state.plus(r);
                store.save(model, state);
            }
            atEpoch3 = parameterBits(model);
        }
        assertEquals(List.of("epoch-0002", "epoch-0003", "latest.json"), checkpointNames(checkpoints));
        try (Model fresh = TinyTraining.newModel()) {
            TrainingState restored = store.restore(fresh).orElseThrow();
            try (Trainer trainer = TinyTraining.newTrainer(fresh, 99)) {
                List<int[]> after = parameterBits(fresh);
                assertEquals(atEpoch3.size(), after.size());
                for (int i = 0; i < after.size(); i++) {
                    assertArrayEquals(atEpoch3.get(i), after.get(i), "parameter " + i);
                }
            }
            assertEquals(3, restored.completedEpochs());
            assertEquals(3L * TinyTraining.STEPS_PER_EPOCH, restored.optimizerSteps());
            assertEquals(1, restored.seed());
            assertTrue(restored.bestMetrics().containsKey("trainLoss"));
        }
    }

    @Test
    void aFailedSaveKeepsTheLastGoodCheckpoint() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        CheckpointStore store = new CheckpointStore(checkpoints, 3);
        try (Model model = TinyTraining.newModel()) {
            FailingSaveBlock block = new FailingSaveBlock(model.getBlock());
            model.setBlock(block);
            try (Trainer trainer = TinyTraining.newTrainer(model, 2)) {
                TrainingState one = TrainingState.fresh(2).plus(EpochRecord.of(1, 1.0, 0.5, Double.NaN, 12, 0.1));
                Path first = store.save(model, one);
                block.failNextSave = true;
                TrainingState two = one.plus(EpochRecord.of(2, 0.9, 0.6, Double.NaN, 12, 0.1));
                IOException e = assertThrows(IOException.class, () -> store.save(model, two));
                assertTrue(e.getMessage().contains("no space left"), e.getMessage());
                assertEquals(first, store.latestDirectory().orElseThrow());
                assertEquals(List.of("epoch-0001", "latest.json"), checkpointNames(checkpoints));
                assertEquals(1, store.readLatestState().orElseThrow().completedEpochs());
                // The next attempt succeeds and becomes the latest.
                store.save(model, two);
                assertEquals(2, store.latestEpoch().orElseThrow());
            }
        }
    }

    @Test
    void nanLossStopsWithEpochBatchValueAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        try (Model model = TinyTraining.newModel()) {
            ResumableTraining training = ResumableTraining.builder()
                    .setModel(model)
                    .setCheckpointDirectory(checkpoints)
                    .setEpochs(5)
                    .setSeed(3)
                    .build();
            training.restoreOrStart();
            EpochSeededSampler sampler = new EpochSeededSampler(32, true, false, 3);
            TensorDataset data = TinyTraining.dataset(sampler);
            try (Trainer trainer = TinyTraining.newTrainer(model, 3)) {
                TrainingDivergedException e = assertThrows(
                        TrainingDivergedException.class,
                        () -> training.run(ctx ->
                                TinyTraining.trainEpoch(trainer, data, sampler, ctx, ctx.epoch() == 3 ? 4 : -1, 0)));
                assertEquals(3, e.getEpoch());
                assertEquals(4, e.getBatch());
                assertTrue(Double.isNaN(e.getLoss()));
                Path epoch2 = checkpoints.resolve("epoch-0002");
                assertEquals(epoch2, e.getLastGoodCheckpoint());
                assertTrue(
                        e.getMessage().contains("epoch 3, batch 4")
                                && e.getMessage().contains("NaN")
                                && e.getMessage().contains(epoch2.toString()),
                        e.getMessage());
            }
            CheckpointStore store = training.getStore();
            assertEquals(2, store.latestEpoch().orElseThrow());
            // The kept checkpoint is loadable and resuming continues at epoch 3.
            try (Model again = TinyTraining.newModel()) {
                ResumableTraining resumed = ResumableTraining.builder()
                        .setModel(again)
                        .setCheckpointDirectory(checkpoints)
                        .setEpochs(3)
                        .setSeed(3)
                        .optResume(true)
                        .build();
                assertEquals(2, resumed.restoreOrStart().completedEpochs());
                Trainer initializesTheBlock = TinyTraining.newTrainer(again, 3);
                List<Integer> trained = new ArrayList<>();
                TrainingState done = resumed.run(ctx -> {
                    trained.add(ctx.epoch());
                    return EpochRecord.of(ctx.epoch(), 0.5, Double.NaN, 0.8, 12, 0.01);
                });
                initializesTheBlock.close();
                assertEquals(List.of(3), trained);
                assertEquals(3, done.completedEpochs());
                assertEquals(
                        Map.of("trainLoss", done.bestMetrics().get("trainLoss"), "validationAccuracy", 0.8),
                        done.bestMetrics());
            }
        }
    }

    @Test
    void startingFreshOverExistingCheckpointsIsRefusedAndSeedsMustMatch() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        try (Model model = TinyTraining.newModel();
                Trainer trainer = TinyTraining.newTrainer(model, 4)) {
            new CheckpointStore(checkpoints, 2)
                    .save(model, TrainingState.fresh(4).plus(EpochRecord.of(1, 1, 0, 0, 1, 0)));
        }
        try (Model model = TinyTraining.newModel()) {
            IllegalStateException fresh = assertThrows(
                    IllegalStateException.class,
                    () -> ResumableTraining.builder()
                            .setModel(model)
                            .setCheckpointDirectory(checkpoints)
                            .setEpochs(2)
                            .setSeed(4)
                            .build()
                            .restoreOrStart());
            assertTrue(fresh.getMessage().contains("--resume"), fresh.getMessage());
            IllegalArgumentException seed = assertThrows(
                    IllegalArgumentException.class,
                    () -> ResumableTraining.builder()
                            .setModel(model)
                            .setCheckpointDirectory(checkpoints)
                            .setEpochs(2)
                            .setSeed(5)
                            .optResume(true)
                            .build()
                            .restoreOrStart());
            assertTrue(seed.getMessage().contains("seed 4") && seed.getMessage().contains("seed 5"), seed.getMessage());
        }
    }
}
