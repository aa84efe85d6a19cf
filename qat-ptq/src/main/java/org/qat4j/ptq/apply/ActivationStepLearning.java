package org.qat4j.ptq.apply;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.qat4j.a2q.kernel.ActivationFakeQuantization;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.nn.ConvGeometry;

/**
 * BRECQ's second stage (Li et al., arXiv 2102.05426, Alg. 1, "then learn the activation step sizes"): with a
 * block's weights already hard-rounded, the step sizes of the activation quantizers that feed and sit inside the
 * block are learned on the same output reconstruction loss, with LSQ's straight-through gradient of the quantizer
 * with respect to its step (Esser et al., arXiv 1902.08153, Eq. 3; {@link ActivationFakeQuantization}):
 * <pre>
 *   x̂ = clamp(round(x/s), lo, hi)·s,   ∂x̂/∂s = q − [lo &lt; round(x/s) ≤ hi]·x/s
 *   minimize  mean over the batch of Σ_out (ẑ − Z)²  over  t = ln s  (Adam, lr {@value #LEARNING_RATE})
 * </pre>
 * Adam runs on ln s rather than s, so a step changes s by a bounded ratio whatever its magnitude (steps of the
 * 8-bit input and of 4-bit activations differ by 50×). The block's layers compute with their integer weights
 * ({@code v = q·s}, fixed); pooling and flatten run their own forward. The learned s is written into the twin's
 * quantizer, whose own forward the export reproduces.
 */
final class ActivationStepLearning {

    static final float LEARNING_RATE = 1e-3f;

    private ActivationStepLearning() {}

    /**
     * Learns the steps of the quantizers at children {@code from − 1} (when it is one) through {@code to}.
     *
     * @param target the float model's output of the block's last layer (after the ReLU when {@code reluAfter})
     * @return the reconstruction loss over the first and last 50 iterations, and the number of steps learned
     */
    static double[] run(
            PtqTwin twin,
            NDManager manager,
            NDArray calibration,
            int from,
            int to,
            NDArray target,
            boolean reluAfter,
            int iterations,
            int batchSize,
            Random random) {
        List<Block> children = twin.children();
        int first = from > 0 && PtqTwin.quantizerOf(children.get(from - 1)) != null ? from - 1 : from;
        try (NDManager scope = manager.newSubManager()) {
            NDArray input;
            try (NoGradScope ignored = NoGradScope.open()) {
                input = twin.trace(scope, calibration).get(first).duplicate();
            }
            Map<ActivationQuantizer, NDArray> logStep = new IdentityHashMap<>();
            List<ActivationQuantizer> learned = new ArrayList<>();
            for (int i = first; i <= to; i++) {
                ActivationQuantizer q = PtqTwin.quantizerOf(children.get(i));
                if (q != null) {
                    NDArray t = scope.create(new float[] {(float) Math.log(q.scaleValue())});
                    t.setRequiresGradient(true);
                    logStep.put(q, t);
                    learned.add(q);
                }
            }
            if (learned.isEmpty()) {
                return new double[] {Double.NaN, Double.NaN, 0};
            }
            Optimizer adam = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed(LEARNING_RATE))
                    .build();
            int n = Math.toIntExact(input.getShape().get(0));
            int batch = Math.min(batchSize, n);
            int window = Math.min(50, iterations);
            double firstLoss = 0;
            double lastLoss = 0;
            for (int it = 0; it < iterations; it++) {
                try (NDManager step = scope.newSubManager()) {
                    logStep.values().forEach(step::tempAttachAll);
                    int[] idx = new int[batch];
                    for (int j = 0; j < batch; j++) {
                        idx[j] = random.nextInt(n);
                    }
                    NDArray rows = step.create(idx);
                    NDArray x = input.get(new NDIndex("{}", rows));
                    NDArray z = target.get(new NDIndex("{}", rows));
                    x.attach(step);
                    z.attach(step);
                    double rec;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out = forward(children, first, to, x, step, logStep);
                        if (reluAfter) {
                            out = Activation.relu(out);
                        }
                        NDArray loss = out.sub(z)
                                .square()
                                .reshape(batch, -1)
                                .sum(new int[] {1})
                                .mean();
                        rec = loss.toType(DataType.FLOAT64, false).getDouble();
                        if (!Double.isFinite(rec)) {
                            throw new IllegalStateException(
                                    "step-size reconstruction loss is " + rec + " at iteration " + it);
                        }
                        gc.backward(loss);
                    }
                    int j = 0;
                    for (ActivationQuantizer q : learned) {
                        NDArray t = logStep.get(q);
                        NDArray grad = t.getGradient();
                        adam.update("logStep" + j++, t, grad);
                        grad.subi(grad);
                    }
                    firstLoss += it < window ? rec / window : 0;
                    lastLoss += it >= iterations - window ? rec / window : 0;
                }
            }
            for (ActivationQuantizer q : learned) {
                float s = (float)
                        Math.exp(logStep.get(q).toType(DataType.FLOAT32, false).getFloat());
                try (NoGradScope ignored = NoGradScope.open()) {
                    q.getScaleParameter().getArray().set(new float[] {s});
                }
            }
            return new double[] {firstLoss, lastLoss, learned.size()};
        }
    }

    private static NDArray forward(
            List<Block> children,
            int first,
            int to,
            NDArray x,
            NDManager step,
            Map<ActivationQuantizer, NDArray> logStep) {
        ParameterStore ps = new ParameterStore(step, false);
        NDArray cur = x;
        for (int i = first; i <= to; i++) {
            Block child = children.get(i);
            ActivationQuantizer q = PtqTwin.quantizerOf(child);
            if (child instanceof AbstractQLayer layer) {
                NDArray w;
                NDArray bias = null;
                try (NoGradScope ignored = NoGradScope.open()) {
                    // v = q·s exactly (PtqTwin.setIntegerWeights): the dequantized integer weights
                    w = layer.getWeightQuantizer().getWeight().getArray().stopGradient();
                    w.attach(step);
                    float[] b = layer.getBias();
                    bias = b == null ? null : step.create(b);
                }
                if (layer instanceof QConv2d conv) {
                    ConvGeometry g = conv.geometry();
                    cur = Conv2d.conv2d(cur, w, null, g.stride(), g.padding(), g.dilation(), g.groups())
                            .head();
                    cur = bias == null ? cur : cur.add(bias.reshape(1, -1, 1, 1));
                } else {
                    cur = cur.matMul(w.transpose());
                    cur = bias == null ? cur : cur.add(bias);
                }
            } else if (q != null) {
                if (child instanceof QReLU) {
                    cur = Activation.relu(cur);
                }
                NDArray s = logStep.get(q).exp();
                cur = ActivationFakeQuantization.fakeQuantize(cur, s, q.minInt(), q.maxInt(), true);
            } else {
                cur = child.forward(ps, new NDList(cur), false).head();
            }
        }
        return cur;
    }
}
