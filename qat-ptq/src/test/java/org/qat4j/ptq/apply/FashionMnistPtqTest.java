package org.qat4j.ptq.apply;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.datasets.FashionMnistDataset;
import org.qat4j.datasets.TensorDataset;

/**
 * PTQ on real data: a float MLP 784-64-10 trained for two epochs on 4,096 Fashion-MNIST training images, quantized
 * at W4A4 from 512 calibration images by every rounding- and loss-aware method; each ends certified and bit-exact,
 * and is evaluated on 2,000 test images.
 */
class FashionMnistPtqTest {

    private static Model model;
    private static CalibrationSet calibration;
    private static NDArray testX;
    private static NDArray testY;

    @BeforeAll
    static void trainFloat() {
        Engine.getInstance().setRandomSeed(7);
        model = Model.newInstance("fashion-float");
        NDManager m = model.getNDManager();
        NDArray[] train = load(m, Dataset.Usage.TRAIN, 4096);
        NDArray[] test = load(m, Dataset.Usage.TEST, 2000);
        testX = test[0];
        testY = test[1];
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(64).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build()));
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(3e-3f))
                        .build());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(1, 784));
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int from = 0; from < 4096; from += 128) {
                    try (NDManager scope = m.newSubManager()) {
                        NDArray xb = train[0].get(from + ":" + (from + 128));
                        NDArray yb = train[1].get(from + ":" + (from + 128));
                        scope.tempAttachAll(xb, yb);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(xb)).head();
                            gc.backward(trainer.getLoss().evaluate(new NDList(yb), new NDList(pred)));
                        }
                        trainer.step();
                    }
                }
            }
        }
        calibration = new CalibrationSet(train[0].get("0:512"), train[1].get("0:512"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static NDArray[] load(NDManager m, Dataset.Usage usage, int n) {
        try (TensorDataset d = FashionMnistDataset.builder()
                .optUsage(usage)
                .optFlatten(true)
                .optLimit(n)
                .setSampling(128, false)
                .build()) {
            float[] x = new float[n * 784];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(d.getFeatures(i), 0, x, i * 784, 784);
                y[i] = d.getLabel(i);
            }
            return new NDArray[] {m.create(x, new Shape(n, 784)), m.create(y)};
        }
    }

    private static double testAccuracy(PtqTwin twin, NDManager manager) {
        return CalibrationLoss.accuracy(twin, manager, new CalibrationSet(testX, testY));
    }

    @Test
    void w4a4MethodsEndCertifiedAndBitExact() {
        double floatAccuracy;
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray logits = model.getBlock()
                    .forward(new ai.djl.training.ParameterStore(scope, false), new NDList(testX), false)
                    .head();
            floatAccuracy = logits.argMax(1)
                            .toType(DataType.INT64, false)
                            .eq(testY.toType(DataType.INT64, false))
                            .sum()
                            .toType(DataType.FLOAT64, false)
                            .getDouble()
                    / 2000;
        }
        Map<PtqMethod, Double> accuracy = new EnumMap<>(PtqMethod.class);
        for (PtqMethod method : new PtqMethod[] {
            PtqMethod.MINMAX_TENSOR, PtqMethod.LAPQ, PtqMethod.GPFQ, PtqMethod.AXE, PtqMethod.ADAROUND, PtqMethod.BRECQ
        }) {
            try (NDManager manager = model.getNDManager().newSubManager()) {
                PtqConfig config = PtqConfig.builder()
                        .setMethod(method)
                        .setWeightBits(4)
                        .setActivationBits(4)
                        .optAccumulatorBits(method == PtqMethod.AXE ? 16 : null)
                        .optIterations(200)
                        .optPowellEvaluations(100)
                        .build();
                PtqResult r = PostTrainingQuantizer.quantizeAndVerify(
                        model.getBlock(), manager, calibration, config, s -> {});
                assertTrue(r.verified(), method + ": " + r.check().problems() + "\n" + r.bitExact());
                accuracy.put(method, testAccuracy(r.quantized().twin(), manager));
            }
        }
        System.out.println("float " + floatAccuracy + ", W4A4 test accuracy " + accuracy);
        assertTrue(floatAccuracy > 0.75, "float accuracy " + floatAccuracy);
        for (Map.Entry<PtqMethod, Double> e : accuracy.entrySet()) {
            assertTrue(e.getValue() > floatAccuracy - 0.15, e + " vs float " + floatAccuracy);
        }
    }
}
