package org.qat4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QatTrainingLoopTest {

    /** A linear layer with an L2 loss term, a weight clip after each step and a range observer. */
    static final class ConstrainedLinear extends AbstractBlock
            implements LossContributor, StepConstraint, RangeObserver {
        final Linear linear;
        final float penalty;
        final float clip;
        int resets;
        int constraintCalls;

        ConstrainedLinear(float penalty, float clip) {
            this.penalty = penalty;
            this.clip = clip;
            linear = addChildBlock("linear", Linear.builder().setUnits(1).build());
        }

        NDArray weight() {
            return linear.getParameters().get("weight").getArray();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return linear.forward(ps, inputs, training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return linear.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            linear.initialize(manager, dataType, inputShapes);
        }

        @Override
        public NDArray lossTerm(NDManager manager) {
            return weight().square().sum().mul(penalty);
        }

        @Override
        public void afterStep() {
            constraintCalls++;
            NDArray w = weight();
            w.subi(w.sub(w.clip(-clip, clip)));
        }

        @Override
        public void resetRanges() {
            resets++;
        }
    }

    /**
     * {@code y = target * sum(x)} on 64 samples whose every batch of 16 holds each of the 16 sign patterns
     * of {@code (±1, ±1, ±1, ±1)} once: the columns of every batch are orthogonal with unit mean square,
     * so a batch's L2 gradient for weight j is exactly {@code w_j - target} and always pulls each weight
     * toward the target. With unseeded random inputs a batch's cross terms could push a weight away
     * (seen once: a weight ended at 0.142, not the clip 0.25).
     */
    private static ArrayDataset regression(NDManager manager, float target) {
        float[] xs = new float[64 * 4];
        for (int s = 0; s < 64; s++) {
            int pattern = (s * 5 + s / 16) % 16; // a different order of the 16 patterns in each batch
            for (int j = 0; j < 4; j++) {
                xs[s * 4 + j] = ((pattern >> j) & 1) == 0 ? 1f : -1f;
            }
        }
        NDArray x = manager.create(xs, new Shape(64, 4));
        NDArray y = x.sum(new int[] {1}, true).mul(target);
        return new ArrayDataset.Builder()
                .setData(x)
                .optLabels(y)
                .setSampling(16, false)
                .build();
    }

    private static Trainer trainer(Model model, float lr) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.sgd()
                        .setLearningRateTracker(Tracker.fixed(lr))
                        .build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(16, 4));
        return trainer;
    }

    @Test
    void constraintHoldsAfterEveryStepAndHooksRunInOrder() {
        ConstrainedLinear block = new ConstrainedLinear(0f, 0.25f);
        try (Model model = Model.newInstance("loop")) {
            model.setBlock(block);
            try (Trainer trainer = trainer(model, 0.5f)) {
                List<String> events = new ArrayList<>();
                QatTrainingLoop loop = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(3)
                        .addEpochHook(new EpochHook() {
                            @Override
                            public void beforeEpoch(int epoch) {
                                events.add("before" + epoch + ":resets=" + block.resets);
                            }

                            @Override
                            public void afterEpoch(int epoch, EpochSummary summary) {
                                events.add("after" + epoch + ":batches=" + summary.batches());
                                float[] w = block.weight().toFloatArray();
                                for (float v : w) {
                                    assertTrue(Math.abs(v) <= 0.25f, "weight " + v + " escaped the clip");
                                }
                            }
                        })
                        .build();
                // The target weights are 3.0, far outside the clip: without the constraint they would escape.
                loop.fit(regression(model.getNDManager(), 3f), regression(model.getNDManager(), 3f));
                assertEquals(12, block.constraintCalls, "one constraint call per step: 3 epochs x 4 batches");
                assertEquals(
                        List.of(
                                "before0:resets=1",
                                "after0:batches=4",
                                "before1:resets=2",
                                "after1:batches=4",
                                "before2:resets=3",
                                "after2:batches=4"),
                        events);
                for (float v : block.weight().toFloatArray()) {
                    assertEquals(0.25f, v, "every weight ends at the clip bound, pulled by a target of 3");
                }
            }
        }
    }

    @Test
    void lossTermTakesPartInTheGradient() {
        // With a zero task signal (target 0) only the L2 term moves the weights: they must shrink.
        ConstrainedLinear block = new ConstrainedLinear(1f, 100f);
        try (Model model = Model.newInstance("loop")) {
            model.setBlock(block);
            try (Trainer trainer = trainer(model, 0.1f)) {
                block.weight().subi(block.weight().sub(block.weight().onesLike()));
                QatTrainingLoop loop = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(1)
                        .build();
                List<EpochSummary> summaries = loop.fit(regression(model.getNDManager(), 0f), null);
                assertTrue(summaries.get(0).meanLossTerms() > 0, "the loss term was recorded");
                float norm = block.weight().square().sum().getFloat();
                assertTrue(norm < 4f * 0.9f, "the L2 term must shrink the weights, |w|^2 = " + norm);
            }
        }
    }

    @Test
    void divergenceStopsBeforeTheUpdate() {
        ConstrainedLinear block = new ConstrainedLinear(0f, 100f);
        try (Model model = Model.newInstance("loop")) {
            model.setBlock(block);
            try (Trainer trainer = trainer(model, 0.1f)) {
                NDManager m = model.getNDManager();
                NDArray x = m.randomNormal(new Shape(16, 4));
                NDArray y = m.full(new Shape(16, 1), Float.NaN);
                ArrayDataset poisoned = new ArrayDataset.Builder()
                        .setData(x)
                        .optLabels(y)
                        .setSampling(16, false)
                        .build();
                float[] before = block.weight().toFloatArray();
                QatTrainingLoop loop = QatTrainingLoop.builder()
                        .setTrainer(trainer)
                        .setEpochs(1)
                        .build();
                TrainingDivergedException e =
                        assertThrows(TrainingDivergedException.class, () -> loop.fit(poisoned, null));
                assertTrue(e.getMessage().contains("epoch 0, batch 0"), e.getMessage());
                assertTrue(Float.isNaN(e.getLoss()));
                assertEquals(
                        java.util.Arrays.toString(before),
                        java.util.Arrays.toString(block.weight().toFloatArray()),
                        "parameters must not be touched by the diverged batch");
                assertFalse(block.constraintCalls > 0, "no step, so no constraint call");
            }
        }
    }

    @Test
    void builderNamesTheBadSetting() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> QatTrainingLoop.builder().setEpochs(2).build());
        assertTrue(e.getMessage().contains("trainer"), e.getMessage());
        Block unused = Linear.builder().setUnits(1).build();
        assertTrue(BlockTrees.find(unused, LossContributor.class).isEmpty());
    }
}
