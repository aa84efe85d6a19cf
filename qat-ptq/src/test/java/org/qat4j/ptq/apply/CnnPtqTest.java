package org.qat4j.ptq.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.ptq.kernel.SparqPairCount;
import org.qat4j.ptq.kernel.SparqSettings;
import org.qat4j.runtime.model.SparqOp;

/**
 * The rounding methods on a convolutional network (conv 3×3 → ReLU → max pool → conv 3×3 → ReLU → flatten →
 * dense) trained on a synthetic 10×10 task: each ends certified and bit-exact.
 */
class CnnPtqTest {

    @Test
    void roundingMethodsHandleConvolutions() {
        Engine.getInstance().setRandomSeed(11);
        try (Model model = Model.newInstance("small-cnn")) {
            NDManager m = model.getNDManager();
            Random r = new Random(11);
            int n = 512;
            float[] x = new float[n * 100];
            float[] y = new float[n];
            for (int s = 0; s < n; s++) {
                double left = 0;
                double top = 0;
                for (int i = 0; i < 100; i++) {
                    x[s * 100 + i] = r.nextFloat();
                    left += (i % 10 < 5 ? 1 : -1) * x[s * 100 + i];
                    top += (i / 10 < 5 ? 1 : -1) * x[s * 100 + i];
                }
                y[s] = (left > 0 ? 1 : 0) + (top > 0 ? 2 : 0);
            }
            NDArray xs = m.create(x, new Shape(n, 1, 10, 10));
            NDArray ys = m.create(y);
            model.setBlock(new SequentialBlock()
                    .add(Conv2d.builder()
                            .setFilters(4)
                            .setKernelShape(new Shape(3, 3))
                            .build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Conv2d.builder()
                            .setFilters(6)
                            .setKernelShape(new Shape(3, 3))
                            .build())
                    .add(Activation.reluBlock())
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(4).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(1e-2f))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, 10, 10));
                for (int step = 0; step < 150; step++) {
                    int from = (step * 64) % (n - 64);
                    try (NDManager scope = m.newSubManager()) {
                        NDArray xb = xs.get(from + ":" + (from + 64));
                        NDArray yb = ys.get(from + ":" + (from + 64));
                        scope.tempAttachAll(xb, yb);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(xb)).head();
                            gc.backward(trainer.getLoss().evaluate(new NDList(yb), new NDList(pred)));
                        }
                        trainer.step();
                    }
                }
            }
            CalibrationSet calibration = new CalibrationSet(xs.get("0:128"), ys.get("0:128"));
            for (PtqMethod method :
                    new PtqMethod[] {PtqMethod.GPFQ, PtqMethod.AXE, PtqMethod.ADAROUND, PtqMethod.BRECQ}) {
                try (NDManager manager = m.newSubManager()) {
                    PtqConfig c = PtqConfig.builder()
                            .setMethod(method)
                            .setWeightBits(4)
                            .setActivationBits(4)
                            .optAccumulatorBits(method == PtqMethod.AXE ? 14 : null)
                            .optIterations(100)
                            .build();
                    PtqResult res =
                            PostTrainingQuantizer.quantizeAndVerify(model.getBlock(), manager, calibration, c, s -> {});
                    assertTrue(res.verified(), method + ": " + res.check().problems() + "\n" + res.bitExact());
                    assertTrue(
                            res.quantized().calibrationAccuracy() > 0.4,
                            method + " calibration accuracy " + res.quantized().calibrationAccuracy());
                }
            }
            // SPARQ (arXiv 2105.11010): the DJL network with SparqActivation blocks equals the integer model with sparq
            // ops
            float[] xc = xs.get("0:128").toFloatArray();
            for (SparqSettings sp : new SparqSettings[] {
                new SparqSettings(5, false, true), new SparqSettings(3, true, true), new SparqSettings(2, true, false)
            }) {
                try (NDManager manager = m.newSubManager()) {
                    PtqConfig c = PtqConfig.builder()
                            .setMethod(PtqMethod.SPARQ)
                            .setWeightBits(8)
                            .setActivationBits(8)
                            .optSparq(sp)
                            .build();
                    PtqResult res =
                            PostTrainingQuantizer.quantizeAndVerify(model.getBlock(), manager, calibration, c, s -> {});
                    assertTrue(res.verified(), sp.label() + ": " + res.check().problems() + "\n" + res.bitExact());
                    // the second conv (after the max pool) and the dense layer (after flatten) read QReLU's unsigned 8
                    // bits
                    List<String> sites = res.model().ops().stream()
                            .filter(op -> op instanceof SparqOp)
                            .map(op -> op.name())
                            .toList();
                    assertEquals(2, sites.size(), sites.toString());
                    SparqPairCount pc = SparqPairCount.of(res.model(), xc, 128);
                    assertTrue(pc.pairs() > 0 && pc.trimmedValues() > 0 && pc.changedValues() > 0, pc.toString());
                    // per sample: 2 channel pairs × 4×4 positions before the second conv, 12 feature pairs before the
                    // dense layer
                    assertEquals(128L * (2 * 16 + 12), pc.pairs(), pc.toString());
                }
            }
        }
    }
}
