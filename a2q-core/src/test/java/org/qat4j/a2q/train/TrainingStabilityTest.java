package org.qat4j.a2q.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.kernel.FreedMemoryPoison;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.train.EpochSummary;
import org.qat4j.core.train.LossContributor;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Regression test for the divergence of the W4A4 Fashion-MNIST recipe (Adam, lr 1e-3, NaN after some tens of
 * steps): the CNN of that recipe in miniature (8-bit unconstrained first and last layers with a learned 8-bit input
 * scale, two A2Q+ 4-bit layers with unsigned 4-bit inputs and P = 16) trains 60 steps through the shared QAT loop while
 * every step, between forward and backward, the garbage collector runs and freed small blocks are refilled with NaN.
 * The loss must stay finite and every constrained channel must satisfy its bound exactly after every step.
 */
class TrainingStabilityTest {

    private static final int SIDE = 12;
    private static final int BATCH = 8;
    private static final int STEPS = 60;

    @Test
    void w4a4CnnTrainsFiniteWithAdamWhileFreedMemoryIsReused() throws Exception {
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        List<String> failures = new ArrayList<>();
        int[] steps = new int[1];
        long[] channelChecks = new long[1];
        try (Model model = Model.newInstance("a2q-stability")) {
            SequentialBlock net = w4a4Cnn();
            net.add(new CollectAndPoison());
            model.setBlock(net);
            Tracker lr = Tracker.fixed(1e-3f);
            Optimizer opt = A2qOptimizers.splitWeightDecay(
                    net,
                    Optimizer.adam()
                            .optLearningRateTracker(lr)
                            .optWeightDecays(1e-5f)
                            .build(),
                    Optimizer.adam()
                            .optLearningRateTracker(lr)
                            .optWeightDecays(0f)
                            .build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(opt)
                    .addTrainingListeners(new TrainingListenerAdapter() {
                        @Override
                        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                            steps[0]++;
                            BoundAudit.Result audit = BoundAudit.audit(net);
                            channelChecks[0] += audit.channelsChecked();
                            if (!audit.ok()) {
                                failures.add("step " + steps[0] + ": " + audit.violations());
                            }
                        }
                    });
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, SIDE, SIDE));
                ArrayDataset data = templateImages(model.getNDManager(), BATCH * STEPS, new Random(42));
                List<EpochSummary> summaries = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(1)
                        .build()
                        .fit(data, null);
                assertTrue(Double.isFinite(summaries.get(0).meanTaskLoss()), "mean loss " + summaries);
            }
        }
        assertEquals(STEPS, steps[0]);
        assertEquals(STEPS * (16L + 16L), channelChecks[0], "both A2Q+ layers are audited after every step");
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /** The recipe's architecture on 12×12 images: conv8 → QReLU4 → A2Q+ conv → QReLU4 → A2Q+ conv → QReLU4 → linear8. */
    static SequentialBlock w4a4Cnn() {
        ActivationQuantizer input = ActivationQuantizer.builder()
                .setBits(8)
                .optSigned(false)
                .optInitialScale(1f / 255f)
                .optCalibrationSteps(0)
                .build();
        QReLU r1 = QReLU.of(4);
        QReLU r2 = QReLU.of(4);
        QReLU r3 = QReLU.of(4);
        return new SequentialBlock()
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(8)
                        .optPadding(new Shape(1, 1))
                        .setVariant(Variant.UNCONSTRAINED)
                        .setWeightBits(8)
                        .optInputQuantizer(input)
                        .build())
                .add(r1)
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(16)
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .setVariant(Variant.A2Q_PLUS)
                        .setWeightBits(4)
                        .optAccumulatorBits(16)
                        .optInputFrom(r1)
                        .build())
                .add(r2)
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(16)
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .setVariant(Variant.A2Q_PLUS)
                        .setWeightBits(4)
                        .optAccumulatorBits(16)
                        .optInputFrom(r2)
                        .build())
                .add(r3)
                .add(Blocks.batchFlattenBlock())
                .add(QLinear.builder()
                        .setUnits(4)
                        .setVariant(Variant.UNCONSTRAINED)
                        .setWeightBits(8)
                        .optInputFrom(r3)
                        .build());
    }

    /** Four classes, each a random template in [0, 1] plus noise, clipped to [0, 1]. */
    static ArrayDataset templateImages(NDManager m, int n, Random rnd) {
        int px = SIDE * SIDE;
        float[][] templates = new float[4][px];
        for (float[] t : templates) {
            for (int i = 0; i < px; i++) {
                t[i] = rnd.nextFloat();
            }
        }
        float[] x = new float[n * px];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = rnd.nextInt(4);
            y[s] = c;
            for (int i = 0; i < px; i++) {
                x[s * px + i] = Math.min(1f, Math.max(0f, templates[c][i] + 0.3f * (float) rnd.nextGaussian()));
            }
        }
        NDArray data = m.create(x, new Shape(n, 1, SIDE, SIDE)).duplicate();
        NDArray labels = m.create(y, new Shape(n)).duplicate();
        return new ArrayDataset.Builder()
                .setData(data)
                .optLabels(labels)
                .setSampling(BATCH, true)
                .build();
    }

    /**
     * Identity block whose loss term (asked for after the forward pass, before backward) collects garbage and
     * refills freed memory with NaN; adds 0 to the loss.
     */
    static final class CollectAndPoison extends AbstractBlock implements LossContributor {
        private List<ByteBuffer> keep = List.of();

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        public NDArray lossTerm(NDManager manager) {
            keep = FreedMemoryPoison.collectAndPoison();
            return manager.zeros(new Shape());
        }
    }
}
