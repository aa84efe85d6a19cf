package com.example.qat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.export.HgqExporter;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.runtime.assertion.CertificateAssertions;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.prove.CertificateProver;

class MyModelTest {

    @TempDir Path dir;

    @Test
    void theExportedModelNeverOverflowsItsAccumulators() throws Exception {
        Path modelFile = dir.resolve("integer-model.json");
        Path certificateFile = dir.resolve("certificate.json");
        exportSmallHgqNetwork(modelFile); // in your project: the integer-model.json of `qat train` or of your export
        IntegerModel model = ModelReader.read(modelFile);
        CertificateWriter.write(CertificateProver.prove(model), certificateFile);

        // The independent checker re-derives every bound from the two files with exact integer arithmetic.
        CertificateAssertions.assertCertificateHolds(modelFile, certificateFile);
        // Every accumulator fits the width its layer declares ...
        CertificateAssertions.assertAllAccumulatorsFitDeclared(model);
        // ... and those of the first dense layer (exported as "l0_acc") fit a 32-bit register.
        CertificateAssertions.assertAccumulatorsFit(model, "l0_acc", 32);
        // Worst-case inputs through a simulated two's-complement register: no partial sum wraps.
        assertTrue(CertificateAssertions.assertWorstCaseDoesNotWrap(model, "l1_acc") > 0);
    }

    /** An 8-16-3 HGQ network, calibrated on random inputs and exported as an integer model file. */
    private static void exportSmallHgqNetwork(Path file) throws Exception {
        Random random = new Random(1);
        float[] x = new float[256 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        try (Model model = Model.newInstance("my-model"); NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(HDense.builder().setUnits(16).optActivation(HActivationType.RELU).build())
                    .add(HDense.builder().setUnits(3).build());
            model.setBlock(net);
            ArrayDataset data = new ArrayDataset.Builder().setData(manager.create(x, new Shape(256, 8)))
                    .optLabels(manager.zeros(new Shape(256))).setSampling(64, false).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(new Shape(1, 8));
                HgqCalibration.traceMinMax(net, manager, data); // the ranges integer bits are derived from
            }
            ModelWriter.write(HgqExporter.export(net, new Shape(8), "my-model", 1, Map.of()), file);
        }
    }
}
