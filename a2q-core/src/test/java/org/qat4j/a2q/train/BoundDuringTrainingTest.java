package org.qat4j.a2q.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.runtime.bound.TwosComplementAccumulator;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * A short training run through the shared QAT loop with tight accumulators (P = 10 and 12) and a large learning
 * rate: after every optimizer step every constrained channel satisfies its bound exactly, and its worst-case inputs,
 * accumulated in a random order in a simulated P-bit two's-complement register, never wrap.
 */
class BoundDuringTrainingTest {

    @Test
    void everyChannelSatisfiesItsBoundAfterEveryStep() throws Exception {
        long[] counts = new long[3]; // steps, channel bound checks, register simulations
        List<String> failures = new ArrayList<>();
        float firstLoss;
        float lastLoss;
        ai.djl.engine.Engine.getInstance().setRandomSeed(11); // deterministic initial weights: no flaky loss check
        try (Model model = Model.newInstance("a2q-train")) {
            QIdentity in = QIdentity.unsigned(4);
            QLinear l1 = QLinear.builder()
                    .setUnits(12)
                    .setVariant(Variant.A2Q_PLUS)
                    .setWeightBits(6)
                    .optAccumulatorBits(10)
                    .optInputFrom(in)
                    .build();
            QReLU r1 = QReLU.of(4);
            QLinear l2 = QLinear.builder()
                    .setUnits(3)
                    .setVariant(Variant.A2Q)
                    .setWeightBits(6)
                    .optAccumulatorBits(12)
                    .optInputFrom(r1)
                    .build();
            SequentialBlock net = new SequentialBlock().add(in).add(l1).add(r1).add(l2);
            model.setBlock(net);
            Optimizer decayed = Optimizer.sgd()
                    .setLearningRateTracker(Tracker.fixed(0.5f))
                    .optWeightDecays(1e-5f)
                    .build();
            Optimizer plain =
                    Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build();
            Random rnd = new Random(11);
            TrainingListener checker = new TrainingListenerAdapter() {
                @Override
                public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                    counts[0]++;
                    BoundAudit.Result audit = BoundAudit.audit(net);
                    counts[1] += audit.channelsChecked();
                    if (!audit.ok()) {
                        failures.add("step " + counts[0] + ": " + audit.violations());
                    }
                    for (AbstractQLayer layer : BlockTrees.find(net, AbstractQLayer.class)) {
                        QuantizedWeights qw = layer.quantizedWeights();
                        for (int c = 0; c < qw.channels(); c++) {
                            counts[2]++;
                            if (worstCaseWraps(
                                    qw.intWeights()[c], qw.inputBits(), qw.inputSigned(), qw.accumulatorBits(), rnd)) {
                                failures.add("step " + counts[0] + ": register wrapped in channel " + c);
                            }
                        }
                    }
                }
            };
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(A2qOptimizers.splitWeightDecay(net, decayed, plain))
                    .addTrainingListeners(checker);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 20));
                NDManager m = model.getNDManager();
                ArrayDataset data = teacherData(m, 128, rnd);
                // the clamp must bind: push every layer's g far above s·T before training
                for (AbstractQLayer layer : BlockTrees.find(net, AbstractQLayer.class)) {
                    NDArray w = layer.getWeightQuantizer().getWeight().getArray();
                    layer.getWeightQuantizer().loadFloatWeights(w.mul(4f));
                }
                QatTrainingLoop loop = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(3)
                        .build();
                assertEquals(2, loop.getContributors().size(), "both A2Q layers add their norm penalty");
                var summaries = loop.fit(data, null);
                firstLoss = (float) summaries.get(0).meanTaskLoss();
                lastLoss = (float) summaries.get(summaries.size() - 1).meanTaskLoss();
            }
            boolean anyClamped = false;
            for (AbstractQLayer layer : BlockTrees.find(net, AbstractQLayer.class)) {
                for (boolean b : layer.quantizedWeights().clampActive()) {
                    anyClamped |= b;
                }
            }
            assertTrue(anyClamped, "the test must exercise the clamp g/s > T");
        }
        System.out.println("bound checks during training: steps=" + counts[0] + ", exact channel checks=" + counts[1]
                + ", P-bit register simulations=" + counts[2] + ", loss " + firstLoss + " -> " + lastLoss);
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(48, counts[0]);
        assertEquals(48 * 15, counts[1]);
        assertTrue(lastLoss < firstLoss, "training makes progress: " + firstLoss + " -> " + lastLoss);
    }

    static ArrayDataset teacherData(NDManager m, int n, Random rnd) {
        float[] x = new float[n * 20];
        float[] teacher = new float[20 * 3];
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = (float) rnd.nextGaussian();
        }
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            float best = -Float.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                x[s * 20 + i] = rnd.nextFloat();
            }
            for (int c = 0; c < 3; c++) {
                float z = 0;
                for (int i = 0; i < 20; i++) {
                    z += (x[s * 20 + i] - 0.5f) * teacher[i * 3 + c];
                }
                if (z > best) {
                    best = z;
                    y[s] = c;
                }
            }
        }
        return new ArrayDataset.Builder()
                .setData(m.create(x, new Shape(n, 20)))
                .optLabels(m.create(y, new Shape(n)))
                .setSampling(8, true)
                .build();
    }

    /** Each term's extreme input in a random order, once maximising and once minimising the sum. */
    static boolean worstCaseWraps(long[] w, int n, boolean signed, int p, Random rnd) {
        long xMin = signed ? -(1L << (n - 1)) : 0;
        long xMax = signed ? (1L << (n - 1)) - 1 : (1L << n) - 1;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            order.add(i);
        }
        boolean wrapped = false;
        for (int dir = 0; dir < 2; dir++) {
            Collections.shuffle(order, rnd);
            TwosComplementAccumulator acc = new TwosComplementAccumulator(p);
            for (int i : order) {
                long a = w[i] * xMin;
                long b = w[i] * xMax;
                acc.add(dir == 0 ? Math.max(a, b) : Math.min(a, b));
            }
            wrapped |= acc.wrapped();
        }
        return wrapped;
    }

    @Test
    void registerSimulationDetectsARealOverflow() {
        // sanity of the checker itself: 3 weights of 100 with 4-bit unsigned inputs reach 4500, which needs 14 bits
        assertTrue(worstCaseWraps(new long[] {100, 100, 100}, 4, false, 13, new Random(1)));
        assertFalse(worstCaseWraps(new long[] {100, 100, 100}, 4, false, 14, new Random(1)));
    }
}
