package org.qat4j.hgq.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.ebops.EbopsReport;
import org.qat4j.hgq.quant.HgqQuantizer;

/** Issue item 2/5: every block saves and loads with Model.save/load; outputs are identical bit for bit. */
class SaveLoadTest {

    @Test
    void trainedCalibratedModelRoundTripsBitForBit(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager data = NDManager.newBaseManager()) {
            NDArray x = data.randomNormal(new Shape(64, 1, 8, 8));
            NDArray y = data.randomInteger(0, 3, new Shape(64), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            ArrayDataset train = new ArrayDataset.Builder()
                    .setData(x)
                    .optLabels(y)
                    .setSampling(16, true)
                    .build();
            float[] before;
            EbopsReport reportBefore;
            try (Model model = Model.newInstance("hgq-cnn")) {
                model.setBlock(HgqModelsFixture.cnn());
                try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(0.01f))
                                .build()))) {
                    trainer.initialize(new Shape(16, 1, 8, 8));
                    QatTrainingLoop.builder()
                            .setTrainer(trainer)
                            .setEpochs(2)
                            .build()
                            .fit(train, null);
                }
                HgqCalibration.traceMinMax(model.getBlock(), data, train);
                before = evaluate(model.getBlock(), data, x);
                reportBefore = EbopsReport.of(model.getBlock());
                model.save(dir, "hgq-cnn");
            }
            try (Model loaded = Model.newInstance("hgq-cnn")) {
                SequentialBlock fresh = HgqModelsFixture.cnn();
                loaded.setBlock(fresh);
                loaded.load(dir, "hgq-cnn");
                float[] after = evaluate(loaded.getBlock(), data, x);
                assertEquals(before.length, after.length);
                for (int j = 0; j < before.length; j++) {
                    assertEquals(Float.floatToRawIntBits(before[j]), Float.floatToRawIntBits(after[j]), "output " + j);
                }
                assertEquals(reportBefore, EbopsReport.of(loaded.getBlock()));
                List<AbstractHgqLayer> layers = BlockTrees.find(loaded.getBlock(), AbstractHgqLayer.class);
                assertEquals(1e-6, layers.get(0).getBeta());
                assertTrue(layers.get(0).isFusedBatchNorm());
                assertEquals(new Shape(2, 1), ((HConv2d) layers.get(1)).getStride());
                assertEquals(new Shape(1, 2), ((HConv2d) layers.get(1)).getDilation());
                assertEquals(
                        "TRAINABLE",
                        layers.get(1)
                                .getInputQuantizer()
                                .getConfig()
                                .integerBits()
                                .name());
                assertEquals(
                        "RND_CONV",
                        layers.get(1).getInputQuantizer().getConfig().rounding().name());
                assertEquals(6, layers.get(3).getKernelQuantizer().getConfig().initialSignificantBits());
                for (HgqQuantizer q : BlockTrees.find(loaded.getBlock(), HgqQuantizer.class)) {
                    assertTrue(q.getBitShape() != null, "bit shape restored");
                }
            }
        }
    }

    @Test
    void loadingIntoADifferentArchitectureNamesTheSetting(@TempDir Path dir) throws Exception {
        try (Model model = Model.newInstance("dense")) {
            model.setBlock(HDense.builder().setUnits(4).build());
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3));
            model.save(dir, "dense");
        }
        try (Model other = Model.newInstance("dense")) {
            other.setBlock(HDense.builder().setUnits(5).build());
            var e = assertThrows(MalformedModelException.class, () -> other.load(dir, "dense"));
            assertTrue(e.getMessage().contains("units = 4") && e.getMessage().contains("units = 5"), e.getMessage());
        }
    }

    static float[] evaluate(Block block, NDManager manager, NDArray x) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray out = block.forward(new ParameterStore(sub, false), new NDList(x), false)
                    .singletonOrThrow();
            out.attach(sub);
            return out.toFloatArray();
        }
    }
}
