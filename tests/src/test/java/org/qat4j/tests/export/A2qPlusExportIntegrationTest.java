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
import org.qat4j.a2q.method.A2qMethod;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.train.A2qOptimizers;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.runtime.assertion.CertificateAssertions;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.exec.SelfCheck;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;

/**
 * An A2Q+ MLP (16-32-16-5, P = 14 and 15, tight enough that the clamp binds) trained briefly on
 * synthetic teacher data through the shared QAT loop, exported, written, read back, certified, and
 * compared with the DJL forward bit for bit on 12,000 inputs (dataset, random, adversarial).
 */
class A2qPlusExportIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void trainedA2qPlusModelIsBitExactOnTwelveThousandInputsAndCertified() throws Exception {
        Random rnd = new Random(2024);
        int n = 1024;
        float[] x = new float[n * 16];
        float[] y = new float[n];
        float[] teacher = new float[16 * 5];
        for (int t = 0; t < teacher.length; t++) {
            teacher[t] = (float) rnd.nextGaussian();
        }
        for (int s = 0; s < n; s++) {
            float best = -Float.MAX_VALUE;
            for (int i = 0; i < 16; i++) {
                x[s * 16 + i] = (float) rnd.nextGaussian();
            }
            for (int c = 0; c < 5; c++) {
                float z = 0;
                for (int i = 0; i < 16; i++) {
                    z += x[s * 16 + i] * teacher[i * 5 + c];
                }
                if (z > best) {
                    best = z;
                    y[s] = c;
                }
            }
        }
        try (Model model = Model.newInstance("a2q-plus-export")) {
            QIdentity in = QIdentity.signed(8);
            QLinear l1 = QLinear.builder()
                    .setUnits(32)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(8)
                    .optAccumulatorBits(14)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(6);
            QLinear l2 = QLinear.builder()
                    .setUnits(16)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(8)
                    .optAccumulatorBits(15)
                    .optInputFrom(r1)
                    .build();
            QReLU r2 = QReLU.of(6);
            QLinear l3 = QLinear.builder()
                    .setUnits(5)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(8)
                    .optAccumulatorBits(16)
                    .optInputFrom(r2)
                    .build();
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(l1)
                    .add(r1)
                    .add(l2)
                    .add(r2)
                    .add(l3);
            model.setBlock(net);
            Optimizer decayed = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed(0.01f))
                    .optWeightDecays(1e-5f)
                    .build();
            Optimizer plain = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed(0.01f))
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(A2qOptimizers.splitWeightDecay(net, decayed, plain));
            NDManager m = model.getNDManager();
            float firstLoss;
            float lastLoss;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 16));
                ArrayDataset data = new ArrayDataset.Builder()
                        .setData(m.create(x, new Shape(n, 16)))
                        .optLabels(m.create(y, new Shape(n)))
                        .setSampling(32, true)
                        .build();
                var summaries = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(3)
                        .build()
                        .fit(data, null);
                firstLoss = (float) summaries.get(0).meanTaskLoss();
                lastLoss = (float) summaries.get(summaries.size() - 1).meanTaskLoss();
            }
            assertTrue(lastLoss < firstLoss, "training makes progress: " + firstLoss + " -> " + lastLoss);

            IntegerModel im = A2qMethod.create()
                    .export(
                            net,
                            new Shape(16),
                            "A2Q+ integration test, Adam 0.01, 3 epochs",
                            2024,
                            Map.of("epochs", "3"));
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
                            (h, mm) -> List.of(h.compareAll(mm, sources), h.compareGenerated(mm, 5500, 5500, 99)));
            IntegerModel back = v.model();
            CheckReport cr = v.check();
            assertTrue(cr.holds(), cr.table());
            for (ModelOp op : back.ops()) {
                if (op.opType().equals("dense")) {
                    CertificateAssertions.assertWorstCaseDoesNotWrap(back, op.name());
                }
            }
            assertTrue(SelfCheck.run(back, -1, 500, 5).passed());

            BitExactReport fromData = v.bitExact().get(0);
            BitExactReport generated = v.bitExact().get(1);
            long samples = fromData.samples() + generated.samples();
            System.out.println("A2Q+ export: " + fromData + generated + "certificate:\n" + cr.table());
            assertEquals(12_024, samples);
            assertTrue(fromData.exact(), fromData.toString());
            assertTrue(generated.exact(), generated.toString());
        }
    }
}
