package org.qat4j.examples.run;

import ai.djl.Model;
import ai.djl.training.Trainer;
import java.nio.file.Path;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.TensorDataset;

/**
 * A training process for the kill-and-resume test: {@code RUN_DIR EPOCHS RESUME SLEEP_MS}. Prints
 * {@code RESTORED <epoch> <param-sum bits>} after a resume and {@code EPOCH_DONE <epoch> <param-sum
 * bits>} after each checkpoint, on stdout.
 */
public final class TinyTrainingProgram {

    private TinyTrainingProgram() {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        boolean resume = Boolean.parseBoolean(args[2]);
        long sleep = Long.parseLong(args[3]);
        long seed = 5;
        RunDirectory runDirectory = RunDirectory.create(run);
        // The resumed process takes the lock the killed one held: the OS released it at the kill.
        try (RunLock lock = runDirectory.lock();
                Model model = TinyTraining.newModel()) {
            ResumableTraining training = ResumableTraining.builder()
                    .setModel(model)
                    .setCheckpointDirectory(runDirectory.checkpoints())
                    .setEpochs(epochs)
                    .setSeed(seed)
                    .optResume(resume)
                    .optCheckpointListener((state, dir) -> {
                        System.out.println("EPOCH_DONE " + state.completedEpochs() + " "
                                + Long.toHexString(Double.doubleToLongBits(TinyTraining.parameterSum(model))));
                        System.out.flush();
                    })
                    .build();
            TrainingState start = training.restoreOrStart();
            EpochSeededSampler sampler = new EpochSeededSampler(TinyTraining.BATCH, true, false, seed);
            TensorDataset data = TinyTraining.dataset(sampler);
            try (Trainer trainer = TinyTraining.newTrainer(model, seed)) {
                if (start.completedEpochs() > 0) {
                    System.out.println("RESTORED " + start.completedEpochs() + " "
                            + Long.toHexString(Double.doubleToLongBits(TinyTraining.parameterSum(model))));
                    System.out.flush();
                }
                training.run(ctx -> {
                    EpochRecord r = TinyTraining.trainEpoch(trainer, data, sampler, ctx, -1, sleep);
                    return r;
                });
            }
        }
        System.out.println("FINISHED");
    }
}
