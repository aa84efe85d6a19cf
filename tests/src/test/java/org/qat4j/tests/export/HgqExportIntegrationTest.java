package org.qat4j.tests.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.method.HgqMethod;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.nn.HgqLayer;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.exec.SelfCheck;
import org.qat4j.runtime.model.IntegerModel;

/**
 * An HGQ MLP of the jet-tagging shape 16-64-32-32-5 (arXiv 2405.00645 §11) trained briefly with a
 * small β on synthetic 5-class data, calibrated, exported, written, read back and certified, then
 * compared with the DJL evaluation forward bit for bit on 12,048 inputs (dataset, random, adversarial).
 */
class HgqExportIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void trainedHgqModelIsBitExactOnTwelveThousandInputsAndCertified() throws Exception {
        Random rnd = new Random(77);
        int n = 1024;
        float[] x = new float[n * 16];
        float[] y = new float[n];
        float[][] centres = new float[5][16];
        for (float[] c : centres) {
            for (int i = 0; i < 16; i++) {
                c[i] = (float) (rnd.nextBoolean() ? 1 : -1);
            }
        }
        for (int s = 0; s < n; s++) {
            int c = rnd.nextInt(5);
            y[s] = c;
            for (int i = 0; i < 16; i++) {
                x[s * 16 + i] = centres[c][i] + (float) rnd.nextGaussian();
            }
        }
        try (Model model = Model.newInstance("hgq-export");
                NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(HDense.builder()
                            .setUnits(64)
                            .optActivation(HActivationType.RELU)
                            .build())
                    .add(HDense.builder()
                            .setUnits(32)
                            .optActivation(HActivationType.RELU)
                            .build())
                    .add(HDense.builder()
                            .setUnits(32)
                            .optActivation(HActivationType.RELU)
                            .build())
                    .add(HDense.builder().setUnits(5).build());
            model.setBlock(net);
            ArrayDataset train = new ArrayDataset.Builder()
                    .setData(m.create(x, new Shape(n, 16)))
                    .optLabels(m.create(y, new Shape(n)))
                    .setSampling(32, true)
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.01f))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 16));
                HgqCalibration.traceMinMax(net, m, train);
                BlockTrees.find(net, HgqLayer.class).forEach(l -> l.setBeta(1e-6));
                var summaries = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(3)
                        .build()
                        .fit(train, null);
                assertTrue(
                        summaries.get(2).meanTaskLoss() < summaries.get(0).meanTaskLoss(), "training makes progress");
                HgqCalibration.traceMinMax(net, m, train);
            }
            IntegerModel im = HgqMethod.builder()
                    .build()
                    .export(
                            net,
                            new Shape(16),
                            "HGQ integration test, Adam 0.01, beta 1e-6, 3 epochs",
                            77,
                            Map.of("beta", "1e-6", "epochs", "3"));
            Map<String, float[]> sources = new LinkedHashMap<>();
            sources.put("dataset", x);
            VerifiedExport<List<BitExactReport>> v = ExportPipeline.builder()
                    .optFiles(dir.resolve("model.json"), dir.resolve("certificate.json"))
                    .optTestVectors(java.util.Arrays.copyOf(x, 100 * 16), 100)
                    .build()
                    .run(
                            net,
                            im,
                            m,
                            (h, mm) -> List.of(h.compareAll(mm, sources), h.compareGenerated(mm, 5512, 5512, 99)));
            IntegerModel back = v.model();
            CheckReport cr = v.check();
            assertTrue(cr.holds(), cr.table());
            assertTrue(SelfCheck.run(back, -1, 500, 5).passed());

            BitExactReport fromData = v.bitExact().get(0);
            BitExactReport generated = v.bitExact().get(1);
            System.out.println("HGQ export: " + fromData + generated + "certificate:\n" + cr.table());
            assertEquals(12_048, fromData.samples() + generated.samples());
            assertTrue(fromData.exact(), fromData.toString());
            assertTrue(generated.exact(), generated.toString());
        }
    }
}
