package org.qat4j.hgq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.core.train.pareto.ParetoCheckpointer;
import org.qat4j.core.train.pareto.ParetoPoint;
import org.qat4j.core.train.schedule.BetaScheduleHook;
import org.qat4j.core.train.schedule.PiecewiseBetaSchedule;
import org.qat4j.hgq.ebops.EbopsMeter;
import org.qat4j.hgq.nn.HgqLayer;

/** Issue item 4: β ramp + Pareto checkpoints over (validation accuracy, exact EBOPs) with DJL listeners on. */
class ParetoTrainingTest {

    @Test
    void betaRampProducesAParetoFrontOfSavedCheckpoints(@TempDir Path dir) {
        Engine.getInstance().setRandomSeed(21);
        SyntheticClusters task = new SyntheticClusters(4, 16, 1.0, 11);
        try (Model model = Model.newInstance("pareto");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(HDenseTrainingTest.mlp(24, 4));
            ArrayDataset train = task.dataset(data, 1024, 64, true, 1);
            ArrayDataset valid = task.dataset(data, 512, 256, false, 2);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.02f))
                            .build())
                    .addEvaluator(new Accuracy())
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(64, 16));
                List<HgqLayer> layers = BlockTrees.find(model.getBlock(), HgqLayer.class);
                ParetoCheckpointer pareto = ParetoCheckpointer.builder()
                        .setModel(model)
                        .setDirectory(dir)
                        .setAccuracy(() -> HDenseTrainingTest.accuracy(trainer, valid))
                        .setCost(() -> EbopsMeter.exactAfterCalibration(model.getBlock(), data, train))
                        .build();
                QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(8)
                        .addEpochHook(new BetaScheduleHook(PiecewiseBetaSchedule.logRamp(0, 1e-6, 7, 1e-4), layers))
                        .addEpochHook(pareto)
                        .build()
                        .fit(train, valid);
                assertEquals(1e-4, layers.get(0).getBeta(), 1e-12);
                List<ParetoPoint> front = pareto.getFront();
                assertFalse(front.isEmpty());
                for (int a = 0; a < front.size(); a++) {
                    assertTrue(Files.isDirectory(front.get(a).directory()), "saved " + front.get(a));
                    for (int b = 0; b < front.size(); b++) {
                        assertFalse(front.get(a).dominates(front.get(b)), front.get(a) + " dominates " + front.get(b));
                    }
                }
                assertTrue(Files.exists(dir.resolve(ParetoCheckpointer.INDEX)));
                assertTrue(front.get(front.size() - 1).accuracy() >= 0.9, "best accuracy on the front: " + front);
                assertTrue(EbopsMeter.estimate(model.getBlock()) > 0);
            }
        }
    }
}
