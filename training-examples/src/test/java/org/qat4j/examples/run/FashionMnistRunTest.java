package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.FashionMnistDataset;
import org.qat4j.datasets.IdxImageDataset;

/** The datasets and the run machinery together on the real Fashion-MNIST files (skipped without them). */
class FashionMnistRunTest {

    @TempDir
    Path dir;

    @Test
    void shortRealDataRunLeavesMetricsPlotsAndCheckpoints() throws Exception {
        assumeTrue(
                Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist not installed");
        long start = System.nanoTime();
        RunDirectory run = RunDirectory.create(dir.resolve("run"));
        EpochSeededSampler sampler = new EpochSeededSampler(128, true, false, 1);
        IdxImageDataset train = FashionMnistDataset.builder()
                .optLimit(4000)
                .setSampling(sampler)
                .build();
        IdxImageDataset test = FashionMnistDataset.builder()
                .optUsage(Dataset.Usage.TEST)
                .optLimit(2000)
                .setSampling(500, false)
                .build();
        try (Model model = Model.newInstance("fashion-mlp", "PyTorch")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(64).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(10).build()));
            ResumableTraining training = ResumableTraining.builder()
                    .setModel(model)
                    .setCheckpointDirectory(run.checkpoints())
                    .setEpochs(3)
                    .setSeed(1)
                    .build();
            training.restoreOrStart();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().build());
            TrainingState done;
            double accuracy;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 784));
                done = training.run(QatLoopEpochBody.builder()
                        .setTrainer(trainer)
                        .setTrainData(train)
                        .optValidationData(test)
                        .optSampler(sampler)
                        .build());
                accuracy = QatLoopEpochBody.accuracy(trainer, test);
            }
            assertTrue(accuracy > 0.7, "3 epochs on 4000 images should pass 70%, got " + accuracy);
            RunMetrics metrics = new RunMetrics("test-fashion-mlp")
                    .setSeed(1)
                    .setEpochs(done.completedEpochs())
                    .setFloatTestAccuracy(accuracy)
                    .setHistory(done.history())
                    .setWallSeconds((System.nanoTime() - start) / 1e9);
            metrics.write(run.metricsJson());
            assertEquals(
                    java.util.List.of(run.plots().resolve(RunPlots.TRAINING_CURVES)),
                    RunPlots.writeAll(metrics, run.plots()));
            assertEquals(accuracy, RunMetrics.read(run.metricsJson()).getFloatTestAccuracy());
            assertEquals(3, training.getStore().latestEpoch().orElseThrow());
        } finally {
            train.close();
            test.close();
        }
    }
}
