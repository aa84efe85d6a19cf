package org.qat4j.hgq.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.ebops.EbopsReport;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.nn.HgqLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Issue item 5: a small synthetic task trains to ≥ 95% while exact EBOPs fall ≥ 2×. */
class HDenseTrainingTest {

    private static final Logger LOG = LoggerFactory.getLogger(HDenseTrainingTest.class);

    static SequentialBlock mlp(int hidden, int classes) {
        return new SequentialBlock()
                .add(HDense.builder()
                        .setUnits(hidden)
                        .optActivation(HActivationType.RELU)
                        .build())
                .add(HDense.builder().setUnits(classes).build());
    }

    @Test
    void trainsToHighAccuracyWhileExactEbopsFallAtLeastTwofold() {
        long start = System.nanoTime();
        ai.djl.engine.Engine.getInstance().setRandomSeed(5);
        SyntheticClusters task = new SyntheticClusters(4, 16, 1.0, 11);
        try (Model model = Model.newInstance("hgq-synthetic");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(mlp(32, 4));
            ArrayDataset train = task.dataset(data, 2048, 64, true, 1);
            ArrayDataset valid = task.dataset(data, 1024, 256, false, 2);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.02f))
                            .build())
                    .addEvaluator(new Accuracy());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(64, 16));
                HgqCalibration.traceMinMax(model.getBlock(), data, train);
                EbopsReport before = EbopsReport.of(model.getBlock());
                LOG.info("EBOPs before training:\n{}", before);

                List<HgqLayer> layers = BlockTrees.find(model.getBlock(), HgqLayer.class);
                layers.forEach(l -> l.setBeta(1e-5));
                QatTrainingLoop loop = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(20)
                        .build();
                loop.fit(train, null);

                HgqCalibration.traceMinMax(model.getBlock(), data, train);
                EbopsReport after = EbopsReport.of(model.getBlock());
                double accuracy = accuracy(trainer, valid);
                LOG.info("EBOPs after training:\n{}accuracy {}", after, accuracy);
                System.out.printf(
                        "synthetic task: accuracy %.4f, exact EBOPs %d -> %d (%.2fx), %.1f s%n",
                        accuracy,
                        before.total(),
                        after.total(),
                        before.total() / (double) after.total(),
                        (System.nanoTime() - start) / 1e9);
                assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
                assertTrue(
                        after.total() * 2 <= before.total(),
                        "EBOPs fell only from " + before.total() + " to " + after.total());
            }
        }
    }

    static double accuracy(Trainer trainer, ArrayDataset valid) {
        long correct = 0;
        long total = 0;
        try {
            for (Batch batch : trainer.iterateDataset(valid)) {
                try (batch) {
                    NDList out = trainer.evaluate(batch.getData());
                    NDArray pred = out.singletonOrThrow().argMax(1);
                    NDArray labels = batch.getLabels().singletonOrThrow().toType(pred.getDataType(), false);
                    correct += pred.eq(labels).sum().getLong();
                    total += labels.size();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return correct / (double) total;
    }
}
