package org.qat4j.a2q.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * Every trainable parameter of a small A2Q / A2Q+ / unconstrained CNN (weights v, log2 g, log2 s, biases, learned
 * activation scales) receives a finite, non-zero gradient from the loss alone: no kernel cuts the graph.
 */
class GradientFlowTest {

    @Test
    void everyTrainableParameterGetsAGradient() {
        Engine.getInstance().setRandomSeed(3);
        QIdentity in = new QIdentity(ActivationQuantizer.builder()
                .setBits(8)
                .optSigned(false)
                .optTrainableScale(false)
                .build());
        QReLU r1 = QReLU.of(6);
        QReLU r2 = QReLU.of(6);
        QIdentity pooled = QIdentity.signed(8);
        SequentialBlock net = new SequentialBlock()
                .add(in)
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(4)
                        .setVariant(Variant.A2Q_PLUS)
                        .setWeightBits(6)
                        .optAccumulatorBits(16)
                        .optInputFrom(in)
                        .build())
                .add(r1)
                .add(QConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(6)
                        .setVariant(Variant.A2Q)
                        .setWeightBits(6)
                        .optAccumulatorBits(18)
                        .optInputFrom(r1)
                        .build())
                .add(r2)
                .add(Pool.globalAvgPool2dBlock())
                .add(pooled)
                .add(QLinear.builder()
                        .setUnits(3)
                        .setVariant(Variant.UNCONSTRAINED)
                        .setWeightBits(8)
                        .optInputFrom(pooled)
                        .build());
        try (Model model = Model.newInstance("flow")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(Optimizer.sgd()
                                    .setLearningRateTracker(Tracker.fixed(0.01f))
                                    .build()));
                    NDManager data = NDManager.newBaseManager()) {
                Shape shape = new Shape(8, 1, 10, 10);
                trainer.initialize(shape);
                NDArray x = data.randomUniform(0f, 1f, shape);
                NDArray y =
                        data.randomInteger(0, 3, new Shape(8), DataType.INT32).toType(DataType.FLOAT32, false);
                for (int step = 0; step < 2; step++) { // the first forward calibrates the activation scales
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray pred = trainer.forward(new NDList(x)).head();
                        gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(pred)));
                    }
                    if (step == 0) {
                        trainer.step();
                    }
                }
                List<String> checked = new ArrayList<>();
                for (Pair<String, Parameter> p : net.getParameters()) {
                    Parameter param = p.getValue();
                    if (!param.requiresGradient()
                            || p.getKey().contains("QLinear") && p.getKey().endsWith("log2Norm")) {
                        continue; // the unconstrained layer has no norm g in its forward
                    }
                    float[] g = param.getArray()
                            .getGradient()
                            .toType(DataType.FLOAT32, false)
                            .toFloatArray();
                    double sumAbs = 0;
                    for (float v : g) {
                        assertTrue(Float.isFinite(v), p.getKey() + " has a non-finite gradient " + v);
                        sumAbs += Math.abs(v);
                    }
                    assertTrue(sumAbs > 0, p.getKey() + " receives no gradient");
                    checked.add(p.getKey());
                }
                // 3 layers × (v, log2 s, bias) + 2 constrained layers' log2 g + 3 learned activation scales
                assertEquals(14, checked.size(), "trainable parameters: " + checked);
            }
        }
    }
}
