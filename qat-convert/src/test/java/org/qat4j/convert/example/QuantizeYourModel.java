package org.qat4j.convert.example;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.qat4j.convert.QatModels;
import org.qat4j.convert.QuantizationPolicy;
import org.qat4j.convert.WrappedModel;
import org.qat4j.core.export.BitExactCheck;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.IntegerModel;

/** Quantize an existing float DJL model with HGQ, fine-tune it, export it and check its certificate. */
public final class QuantizeYourModel {

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("qat4j-example");
        VerifiedExport<BitExactReport> verified = verify(out);
        System.out.println(verified.check().table());
        System.out.println(verified.bitExact());
    }

    public static CheckReport run(Path outputDirectory) throws Exception {
        return verify(outputDirectory).check();
    }

    public static VerifiedExport<BitExactReport> verify(Path outputDirectory) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model floatModel = Model.newInstance("float-mlp");
                Model qatModel = Model.newInstance("hgq-mlp")) {
            NDArray[] samples = samples(manager, 512);
            ArrayDataset data = new ArrayDataset.Builder()
                    .setData(samples[0])
                    .optLabels(samples[1])
                    .setSampling(32, true)
                    .build();

            // 1. Your existing float model, trained as usual with DJL.
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(32).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(4).build());
            floatModel.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.01f))
                            .build());
            try (Trainer trainer = floatModel.newTrainer(config)) {
                trainer.initialize(new Shape(32, 16));
                EasyTrain.fit(trainer, 3, data, null);
            }

            // 2. Its HGQ twin: Linear+BatchNorm+ReLU becomes one HDense (batch norm fused), weights carried over.
            QuantizationPolicy policy = QuantizationPolicy.hgq()
                    .optWeightBits(8)
                    .optActivationFractionalBits(6)
                    .optBeta(1e-6)
                    .build();
            WrappedModel twin = QatModels.wrap(net, policy, qatModel.getNDManager());
            qatModel.setBlock(twin.block());
            List<NDList> calibration = List.of(new NDList(samples[0]));
            QatModels.calibrate(twin.block(), manager, calibration);

            // 3. Quantization-aware fine-tuning with qat4j's loop (adds the EBOPs term, clips bit widths).
            try (Trainer trainer = qatModel.newTrainer(config)) {
                trainer.initialize(twin.inputShape());
                QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(2)
                        .build()
                        .fit(data, null);
            }

            // 4. Integer bits from data, export, prove that no accumulator overflows, check the proof,
            //    compare network and integer model bit for bit on random and adversarial inputs.
            QatModels.calibrate(twin.block(), manager, calibration);
            IntegerModel integerModel = twin.method()
                    .export(
                            twin.block(),
                            twin.sampleShape(),
                            "float MLP wrapped by QatModels, 2 QAT epochs",
                            7,
                            Map.of("beta", "1e-6"));
            return ExportPipeline.builder()
                    .optFiles(outputDirectory.resolve("model.json"), outputDirectory.resolve("certificate.json"))
                    .build()
                    .run(twin.block(), integerModel, manager, BitExactCheck.generated(1000, 1000, 7));
        }
    }

    /** Four classes in 16 features: class c adds 1.5 to every feature e with e % 4 == c. */
    private static NDArray[] samples(NDManager manager, int n) {
        Random rnd = new Random(7);
        float[] x = new float[n * 16];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = rnd.nextInt(4);
            y[s] = c;
            for (int e = 0; e < 16; e++) {
                x[s * 16 + e] = (float) (rnd.nextGaussian() + (e % 4 == c ? 1.5 : 0));
            }
        }
        return new NDArray[] {manager.create(x, new Shape(n, 16)), manager.create(y, new Shape(n))};
    }
}
