package org.qat4j.a2q.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.a2q.train.BoundAudit;
import org.qat4j.runtime.model.A2qConstraint.Variant;

class QLayerPropertyTest {

    /**
     * Random layer kind, shapes, P, N, σ, M and weights blown up by up to 2^7: every channel of the built layer
     * satisfies its bound exactly and its worst-case interval fits P bits; the forward has the declared shape.
     */
    @Property(tries = 60)
    void everyRandomLayerSatisfiesItsBound(
            @ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll boolean plus,
            @ForAll @IntRange(min = 1, max = 12) int inChannels,
            @ForAll @IntRange(min = 1, max = 9) int outChannels,
            @ForAll @IntRange(min = 2, max = 8) int n,
            @ForAll boolean signed,
            @ForAll @IntRange(min = 3, max = 8) int m,
            @ForAll @IntRange(min = 0, max = 12) int pSlack,
            @ForAll @IntRange(min = 0, max = 7) int blowUp,
            @ForAll long seed) {
        Variant variant = plus ? Variant.A2Q_PLUS : Variant.A2Q;
        int p = n + 2 + pSlack; // smallest P that still allows a non-zero weight, and up
        ActivationQuantizer iq = ActivationQuantizer.builder()
                .setBits(n)
                .optSigned(signed)
                .optCalibrationSteps(0)
                .build();
        AbstractQLayer layer;
        Shape in;
        switch (kind) {
            case 0:
                layer = QLinear.builder()
                        .setUnits(outChannels)
                        .setVariant(variant)
                        .setWeightBits(m)
                        .optAccumulatorBits(p)
                        .optInputQuantizer(iq)
                        .build();
                in = new Shape(2, inChannels * 5);
                break;
            case 1:
                layer = QConv1d.builder()
                        .setKernelShape(new Shape(3))
                        .setFilters(outChannels)
                        .setVariant(variant)
                        .setWeightBits(m)
                        .optAccumulatorBits(p)
                        .optInputQuantizer(iq)
                        .build();
                in = new Shape(2, inChannels, 7);
                break;
            default:
                layer = QConv2d.builder()
                        .setKernelShape(new Shape(2, 3))
                        .setFilters(outChannels)
                        .setVariant(variant)
                        .setWeightBits(m)
                        .optAccumulatorBits(p)
                        .optInputQuantizer(iq)
                        .build();
                in = new Shape(2, inChannels, 4, 5);
        }
        try (NDManager mgr = NDManager.newBaseManager()) {
            layer.initialize(mgr, DataType.FLOAT32, in);
            NDArray w = layer.getWeightQuantizer().getWeight().getArray();
            layer.getWeightQuantizer().loadFloatWeights(w.mul((float) Math.scalb(1.0, blowUp)));
            BoundAudit.Result audit = BoundAudit.audit(layer);
            assertEquals(outChannels, audit.channelsChecked());
            assertTrue(audit.ok(), audit.violations().toString());
            Random rnd = new Random(seed);
            float[] x = new float[(int) in.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            NDArray out = layer.forward(new ParameterStore(mgr, false), new NDList(mgr.create(x, in)), false)
                    .head();
            assertEquals(layer.getOutputShapes(new Shape[] {in})[0], out.getShape());
        }
    }

    /** The number of arrays in the model's manager stays flat over many training steps (no per-step leak). */
    @Test
    void trainingStepsDoNotLeakArrays() {
        try (Model model = Model.newInstance("leak")) {
            QIdentity in = QIdentity.unsigned(8);
            QReLU r = QReLU.of(8);
            SequentialBlock net = new SequentialBlock()
                    .add(in)
                    .add(QConv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .setFilters(4)
                            .setVariant(Variant.A2Q_PLUS)
                            .setWeightBits(8)
                            .optAccumulatorBits(16)
                            .optInputFrom(in)
                            .build())
                    .add(r)
                    .add(Blocks.batchFlattenBlock())
                    .add(QLinear.builder()
                            .setUnits(3)
                            .setVariant(Variant.A2Q)
                            .setWeightBits(8)
                            .optAccumulatorBits(20)
                            .optInputFrom(r)
                            .build());
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(1e-2f))
                            .build()))) {
                Shape shape = new Shape(4, 1, 6, 6);
                trainer.initialize(shape);
                NDManager root = model.getNDManager();
                int at5 = -1;
                for (int step = 0; step < 40; step++) {
                    try (NDManager batch = root.newSubManager()) {
                        NDArray x = batch.randomUniform(0f, 1f, shape);
                        NDArray y = batch.create(new float[] {0, 1, 2, 1});
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(x)).head();
                            NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(pred));
                            for (var c : org.qat4j.core.train.BlockTrees.find(
                                    net, org.qat4j.core.train.LossContributor.class)) {
                                loss = loss.add(c.lossTerm(batch));
                            }
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    if (step == 5) {
                        at5 = root.getManagedArrays().size();
                    }
                }
                assertEquals(at5, root.getManagedArrays().size(), "arrays in the model manager after 40 steps");
            }
        }
    }
}
