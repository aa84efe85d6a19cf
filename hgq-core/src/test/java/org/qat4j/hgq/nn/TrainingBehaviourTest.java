package org.qat4j.hgq.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.hgq.quant.HgqQuantizer;

/** Issue items 1 and 5: defaults keep a fresh layer alive, β shrinks bits, no NDArray leak. */
class TrainingBehaviourTest {

    @Test
    void freshDenseLayerHasNoZeroWeightsAndANonZeroOutput() {
        Engine.getInstance().setRandomSeed(9);
        for (long in : new long[] {16, 256, 784}) {
            HDense layer = HDense.builder().setUnits(64).build();
            try (Model model = Model.newInstance("fresh")) {
                model.setBlock(layer);
                NDManager m = model.getNDManager();
                layer.initialize(m, DataType.FLOAT32, new Shape(8, in));
                var k = layer.quantizedKernel();
                assertEquals(0, k.zeros(), "pruned weights in a fresh " + in + "-input layer");
                long[] mantissas = k.mantissas();
                double meanLength = 0;
                for (int j = 0; j < k.size(); j++) {
                    int length = 64 - Long.numberOfLeadingZeros(Math.abs(mantissas[j]));
                    // b0 = 8 bits (9 when rounding carries); fewer only where f hit its clip at 2^-24
                    assertTrue(length >= 1 && length <= 9, "weight " + j + " has a " + length + "-bit mantissa");
                    meanLength += length / (double) k.size();
                }
                assertTrue(meanLength > 7.9, "mean mantissa length " + meanLength);
                NDArray x = m.randomNormal(new Shape(8, in));
                float[] y = layer.forward(new ParameterStore(m, false), new NDList(x), false)
                        .singletonOrThrow()
                        .toFloatArray();
                long nonZero = 0;
                for (float v : y) {
                    nonZero += v != 0 ? 1 : 0;
                }
                assertTrue(nonZero > y.length * 9 / 10, nonZero + " of " + y.length + " outputs are non-zero");
            }
        }
    }

    @Test
    void positiveBetaShrinksBitsAndZeroBetaDoesNot() {
        double[] meanBits = new double[2];
        double[] start = new double[2];
        double[] betas = {0, 3e-4};
        for (int run = 0; run < 2; run++) {
            Engine.getInstance().setRandomSeed(4);
            try (Model model = Model.newInstance("beta");
                    NDManager data = NDManager.newBaseManager()) {
                model.setBlock(new SequentialBlock()
                        .add(HDense.builder()
                                .setUnits(16)
                                .optActivation(HActivationType.RELU)
                                .optBeta(betas[run])
                                .build())
                        .add(HDense.builder().setUnits(2).optBeta(betas[run]).build()));
                NDArray x = data.randomNormal(new Shape(256, 8));
                NDArray y = x.get(":, 0").gt(0).toType(DataType.FLOAT32, false);
                ArrayDataset ds = new ArrayDataset.Builder()
                        .setData(x)
                        .optLabels(y)
                        .setSampling(32, true)
                        .build();
                try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(0.05f))
                                .build()))) {
                    t.initialize(new Shape(32, 8));
                    start[run] = meanKernelBits(model);
                    QatTrainingLoop.builder()
                            .setTrainer(t)
                            .setEpochs(10)
                            .build()
                            .fit(ds, null);
                    meanBits[run] = meanKernelBits(model);
                }
            }
        }
        assertEquals(start[0], start[1], 1e-9, "same initial bits");
        assertTrue(meanBits[1] < start[1] - 1, "beta > 0: mean f " + start[1] + " -> " + meanBits[1]);
        assertTrue(meanBits[1] < meanBits[0] - 1, "beta > 0 ends at " + meanBits[1] + ", beta = 0 at " + meanBits[0]);
    }

    private static double meanKernelBits(Model model) {
        double sum = 0;
        long n = 0;
        for (AbstractHgqLayer l : BlockTrees.find(model.getBlock(), AbstractHgqLayer.class)) {
            for (float f : l.getKernelQuantizer()
                    .getFractionalBitsParameter()
                    .getArray()
                    .toFloatArray()) {
                sum += f;
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void noArrayLeaksOverOneHundredTrainingStepsWithListeners() {
        Engine.getInstance().setRandomSeed(2);
        try (Model model = Model.newInstance("leak");
                NDManager data = NDManager.newBaseManager()) {
            // dense model with every parameter-free block; the batch-norm CNN is not used here because of the
            // open issue of sporadic NaN gradients with fused batch norm (see the module's report)
            model.setBlock(new SequentialBlock()
                    .add(new HQuantize())
                    .add(HDense.builder().setUnits(32).optBeta(1e-6).build())
                    .add(new HActivation(
                            HActivationType.RELU,
                            org.qat4j.hgq.quant.HgqQuantizerConfig.activations().build()))
                    .add(HDense.builder().setUnits(3).optBeta(1e-6).build()));
            NDArray x = data.randomNormal(new Shape(200, 20));
            NDArray y = data.randomInteger(0, 3, new Shape(200), DataType.INT32).toType(DataType.FLOAT32, false);
            ArrayDataset ds = new ArrayDataset.Builder()
                    .setData(x)
                    .optLabels(y)
                    .setSampling(10, true)
                    .build();
            try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.01f))
                            .build())
                    .addTrainingListeners(TrainingListener.Defaults.basic()))) {
                t.initialize(new Shape(10, 20));
                int[] counts = new int[5];
                QatTrainingLoop loop = QatTrainingLoop.builder()
                        .setTrainer(t)
                        .setEpochs(5)
                        .addEpochHook(new EpochHook() {
                            @Override
                            public void afterEpoch(int epoch, org.qat4j.core.train.EpochSummary s) {
                                counts[epoch] = arrays(model, t);
                            }
                        })
                        .build();
                loop.fit(ds, null); // 5 epochs × 20 batches = 100 steps
                assertEquals(counts[1], counts[4], "arrays after epochs: " + java.util.Arrays.toString(counts));
                assertEquals(counts[1], counts[2], "arrays after epochs: " + java.util.Arrays.toString(counts));
            }
        }
    }

    /**
     * The batch-norm CNN of the fixture, 5 epochs at batch 10: the array count stays flat and training stays
     * finite.
     */
    @Test
    void batchNormCnnTrainsFiniteWithoutArrayLeaksOverOneHundredSteps() {
        Engine.getInstance().setRandomSeed(2);
        try (Model model = Model.newInstance("leak-cnn");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(HgqModelsFixture.cnn(false));
            NDArray x = data.randomNormal(new Shape(200, 1, 8, 8));
            NDArray y = data.randomInteger(0, 3, new Shape(200), DataType.INT32).toType(DataType.FLOAT32, false);
            ArrayDataset ds = new ArrayDataset.Builder()
                    .setData(x)
                    .optLabels(y)
                    .setSampling(10, true)
                    .build();
            try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.01f))
                            .build())
                    .addTrainingListeners(TrainingListener.Defaults.basic()))) {
                t.initialize(new Shape(10, 1, 8, 8));
                int[] counts = new int[5];
                float[] losses = new float[5];
                QatTrainingLoop loop = QatTrainingLoop.builder()
                        .setTrainer(t)
                        .setEpochs(5)
                        .addEpochHook(new EpochHook() {
                            @Override
                            public void afterEpoch(int epoch, org.qat4j.core.train.EpochSummary s) {
                                counts[epoch] = arrays(model, t);
                                losses[epoch] = (float) (s.meanTaskLoss() + s.meanLossTerms());
                            }
                        })
                        .build();
                loop.fit(ds, null); // 5 epochs × 20 batches = 100 steps
                for (float l : losses) {
                    assertTrue(Float.isFinite(l), "epoch losses: " + java.util.Arrays.toString(losses));
                }
                assertEquals(counts[1], counts[4], "arrays after epochs: " + java.util.Arrays.toString(counts));
                assertEquals(counts[1], counts[2], "arrays after epochs: " + java.util.Arrays.toString(counts));
            }
        }
    }

    private static int arrays(Model model, Trainer t) {
        return model.getNDManager().getManagedArrays().size()
                + t.getManager().getManagedArrays().size();
    }

    @Test
    void bitParametersAreClippedToTheFloat32ExactRangeAfterEachStep() {
        HgqQuantizer q = new HgqQuantizer(org.qat4j.hgq.quant.HgqQuantizerConfig.activations()
                .optFractionalBitsRange(-4, 10)
                .build());
        try (Model model = Model.newInstance("clip")) {
            model.setBlock(q);
            q.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
            NDArray f = q.getFractionalBitsParameter().getArray();
            f.intern(model.getNDManager()
                    .create(new float[] {-30f, 3.3f, 11f, 40f}, new Shape(1, 4))
                    .duplicate());
            q.afterStep();
            float[] got = q.getFractionalBitsParameter().getArray().toFloatArray();
            assertEquals(List.of(-4f, 3.3f, 10f, 10f), List.of(got[0], got[1], got[2], got[3]));
        }
    }
}
