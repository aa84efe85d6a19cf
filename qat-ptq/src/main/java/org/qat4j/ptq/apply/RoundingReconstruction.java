package org.qat4j.ptq.apply;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.qat4j.a2q.kernel.ActivationFakeQuantization;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.nn.ConvGeometry;
import org.qat4j.ptq.calib.ClipRule;
import org.qat4j.ptq.kernel.RectifiedSigmoid;
import org.qat4j.ptq.kernel.UniformGrid;

/**
 * Learned rounding by output reconstruction: AdaRound (Nagel et al., arXiv 2004.10568, Eq. 21–25) with one
 * layer per block, BRECQ (Li et al., arXiv 2102.05426, Alg. 1) with blocks of two consecutive layers and the
 * activation quantizer between them. For each block in forward order, with the block's input X̃ from the
 * already-quantized prefix and the float model's output Z of the block's last layer on float inputs:
 * <pre>
 *   Ŵ = s · clamp(⌊W/s⌋ + h(V), qMin, qMax),  h = {@link RectifiedSigmoid}, V₀ so that h(V₀) = frac(W/s)
 *   minimize  Σ_out (ẑ − Z)² (mean over the batch) + λ·Σ (1 − |2h(V) − 1|^β)     (Adam, λ = 0.01)
 *   β: no regularizer for the first 20% of the iterations, then 20 → 2 linearly; finally h = 1[V ≥ 0]
 * </pre>
 * Where a ReLU follows the block, both outputs pass through it first (AdaRound §4, Eq. 25's f_a).
 * Activation quantizers inside a block use their fixed clip with a straight-through gradient. Weight clips start
 * at the L2.4-optimal per-channel clip (BRECQ's initialization) and activations at their MSE clip, calibrated
 * sequentially; the activation quantizer after a block is recalibrated on the new prefix. Dense and 2-D
 * convolution layers; pooling and flatten blocks inside a block run their own forward.
 * BRECQ then learns the step sizes of the activation quantizers feeding and inside each block on the same loss,
 * with the block's rounding fixed ({@link ActivationStepLearning}, LSQ).
 */
final class RoundingReconstruction {

    static final double LAMBDA = 0.01;
    static final double WARMUP = 0.2;
    static final double BETA_START = 20;
    static final double BETA_END = 2;
    static final float LEARNING_RATE = 1e-3f;
    /** p of the initial weight clips (BRECQ's reference). */
    static final double INIT_P = 2.4;

    private RoundingReconstruction() {}

    /** A layer of the block being reconstructed, with its rounding variables. */
    private record Rounded(
            AbstractQLayer layer,
            NDArray s,
            NDArray floorW,
            NDArray v,
            NDArray bias,
            UniformGrid grid,
            Shape weightShape,
            ConvGeometry geometry) {}

    static void run(
            PtqTwin twin,
            NDManager manager,
            NDArray calibration,
            boolean blockwise,
            PtqConfig config,
            Consumer<String> progress) {
        new ClipCalibration(ClipRule.lp(INIT_P), true, ClipRule.mse()).apply(twin, manager, calibration);
        List<Block> children = twin.children();
        List<Integer> layerIdx = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof AbstractQLayer l) {
                if (!(l instanceof QLinear) && !(l instanceof QConv2d)) {
                    throw new UnsupportedOperationException((blockwise ? "BRECQ" : "AdaRound")
                            + " reconstruction supports dense and 2-D convolution layers; block #" + i + " is "
                            + l.getClass().getSimpleName());
                }
                layerIdx.add(i);
            }
        }
        Random random = new Random(config.seed());
        int per = blockwise ? 2 : 1;
        for (int b = 0; b < layerIdx.size(); b += per) {
            int from = layerIdx.get(b);
            int to = layerIdx.get(Math.min(b + per, layerIdx.size()) - 1);
            long start = System.nanoTime();
            double[] losses = reconstruct(twin, manager, calibration, from, to, blockwise, config, random);
            progress.accept(String.format(
                    "  %s block #%d..#%d: reconstruction loss %.5f -> %.5f, %d iterations, %.1f s",
                    blockwise ? "BRECQ" : "AdaRound",
                    from,
                    to,
                    losses[0],
                    losses[1],
                    config.iterations(),
                    (System.nanoTime() - start) / 1e9));
            if (blockwise && losses[4] > 0) {
                progress.accept(String.format(
                        "  BRECQ block #%d..#%d: %d activation step sizes learned (LSQ), "
                                + "reconstruction loss %.5f -> %.5f",
                        from, to, (int) losses[4], losses[2], losses[3]));
            }
            int next = to + 1;
            if (next < children.size() && PtqTwin.quantizerOf(children.get(next)) != null) {
                ClipCalibration.calibrateActivation(
                        twin, manager, calibration, next, PtqTwin.quantizerOf(children.get(next)), ClipRule.mse());
            }
        }
    }

    /**
     * Reconstructs children {@code from..to}; returns the reconstruction loss of the first and last 50 iterations,
     * then (with {@code learnSteps}) those of the step-size stage and the number of steps learned.
     */
    private static double[] reconstruct(
            PtqTwin twin,
            NDManager manager,
            NDArray calibration,
            int from,
            int to,
            boolean learnSteps,
            PtqConfig config,
            Random random) {
        List<Block> children = twin.children();
        try (NDManager scope = manager.newSubManager()) {
            NDArray input;
            NDArray target;
            AbstractQLayer last = (AbstractQLayer) children.get(to);
            // AdaRound §4: reconstruct after the activation function where one follows (errors of negative
            // pre-activations that the ReLU removes do not count)
            boolean reluAfter = to + 1 < children.size() && children.get(to + 1) instanceof QReLU;
            try (NoGradScope ignored = NoGradScope.open()) {
                input = twin.trace(scope, calibration).get(from).duplicate();
                Block floatLast = twin.floatLayer(last);
                NDArray floatIn = twin.floatLayerInputs(scope, calibration).get(floatLast);
                target = floatLast
                        .forward(new ParameterStore(scope, false), new NDList(floatIn), false)
                        .head();
                if (reluAfter) {
                    target = Activation.relu(target);
                }
                target.attach(scope);
            }
            List<Rounded> rounded = new ArrayList<>();
            List<Object> steps = new ArrayList<>(); // Rounded or ActivationQuantizer, in order
            for (int i = from; i <= to; i++) {
                Block child = children.get(i);
                if (child instanceof AbstractQLayer layer) {
                    Rounded r = init(twin, scope, layer);
                    rounded.add(r);
                    steps.add(r);
                } else if (PtqTwin.quantizerOf(child) != null) {
                    steps.add(PtqTwin.quantizerOf(child));
                } else {
                    steps.add(child); // pooling, flatten: their own (differentiable) forward
                }
            }
            Optimizer adam = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed(LEARNING_RATE))
                    .build();
            int n = Math.toIntExact(input.getShape().get(0));
            int batch = Math.min(config.batchSize(), n);
            int iterations = config.iterations();
            double firstLoss = 0;
            double lastLoss = 0;
            int window = Math.min(50, iterations);
            for (int it = 0; it < iterations; it++) {
                double beta = RectifiedSigmoid.annealedBeta(it, iterations, WARMUP, BETA_START, BETA_END);
                try (NDManager step = scope.newSubManager()) {
                    for (Rounded r : rounded) {
                        // every operand in the step's scope, so no temporary outlives the iteration
                        step.tempAttachAll(r.v(), r.s(), r.floorW());
                        if (r.bias() != null) {
                            step.tempAttachAll(r.bias());
                        }
                    }
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
                        NDArray out = forward(steps, x, step, new ParameterStore(step, false));
                        if (reluAfter) {
                            out = Activation.relu(out);
                        }
                        NDArray recLoss = out.sub(z)
                                .square()
                                .reshape(batch, -1)
                                .sum(new int[] {1})
                                .mean();
                        NDArray loss = recLoss;
                        if (!Double.isNaN(beta)) {
                            for (Rounded r : rounded) {
                                NDArray reg = h(r.v()).mul(2)
                                        .sub(1)
                                        .abs()
                                        .pow(beta)
                                        .neg()
                                        .add(1)
                                        .sum();
                                loss = loss.add(reg.mul(LAMBDA));
                            }
                        }
                        rec = recLoss.toType(DataType.FLOAT64, false).getDouble();
                        if (!Double.isFinite(rec)) {
                            throw new IllegalStateException("reconstruction loss is " + rec + " at iteration " + it);
                        }
                        gc.backward(loss);
                    }
                    for (int j = 0; j < rounded.size(); j++) {
                        NDArray v = rounded.get(j).v();
                        NDArray grad = v.getGradient();
                        adam.update("v" + j, v, grad);
                        grad.subi(grad);
                    }
                    if (it < window) {
                        firstLoss += rec / window;
                    }
                    if (it >= iterations - window) {
                        lastLoss += rec / window;
                    }
                }
            }
            for (Rounded r : rounded) {
                twin.setIntegerWeights(r.layer(), hardRounding(r));
            }
            double[] stepLosses = learnSteps
                    ? ActivationStepLearning.run(
                            twin,
                            manager,
                            calibration,
                            from,
                            to,
                            target,
                            reluAfter,
                            iterations,
                            config.batchSize(),
                            random)
                    : new double[] {Double.NaN, Double.NaN, 0};
            return new double[] {firstLoss, lastLoss, stepLosses[0], stepLosses[1], stepLosses[2]};
        }
    }

    private static Rounded init(PtqTwin twin, NDManager scope, AbstractQLayer layer) {
        double[][] w = twin.weights(layer);
        double[] s = twin.weightScales(layer);
        int c = w.length;
        int k = w[0].length;
        float[] floor = new float[c * k];
        float[] v = new float[c * k];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < k; j++) {
                double y = w[i][j] / s[i];
                double f = Math.floor(y);
                floor[i * k + j] = (float) f;
                v[i * k + j] = (float) RectifiedSigmoid.inverse(Math.min(y - f, Math.nextDown(1.0)));
            }
        }
        float[] sf = new float[c];
        for (int i = 0; i < c; i++) {
            sf[i] = (float) s[i];
        }
        NDArray vArr = scope.create(v, new Shape(c, k));
        vArr.setRequiresGradient(true);
        float[] bias = layer.getBias();
        Shape weightShape = layer.getWeightQuantizer().getWeight().getArray().getShape();
        ConvGeometry geometry = layer instanceof QConv2d conv ? conv.geometry() : null;
        return new Rounded(
                layer,
                scope.create(sf, new Shape(c, 1)),
                scope.create(floor, new Shape(c, k)),
                vArr,
                bias == null ? null : scope.create(bias),
                UniformGrid.weights(layer.getWeightBits()),
                weightShape,
                geometry);
    }

    private static NDArray forward(List<Object> steps, NDArray x, NDManager step, ParameterStore ps) {
        NDArray cur = x;
        for (Object s : steps) {
            if (s instanceof Rounded r) {
                NDArray wq = r.floorW()
                        .add(h(r.v()))
                        .clip(r.grid().qMin(), r.grid().qMax())
                        .mul(r.s());
                if (r.geometry() == null) {
                    cur = cur.matMul(wq.transpose());
                    if (r.bias() != null) {
                        cur = cur.add(r.bias());
                    }
                } else {
                    ConvGeometry g = r.geometry();
                    cur = Conv2d.conv2d(
                                    cur,
                                    wq.reshape(r.weightShape()),
                                    null,
                                    g.stride(),
                                    g.padding(),
                                    g.dilation(),
                                    g.groups())
                            .head();
                    if (r.bias() != null) {
                        cur = cur.add(r.bias().reshape(1, -1, 1, 1));
                    }
                }
            } else if (s instanceof ActivationQuantizer q) {
                NDArray scale = step.create(new float[] {q.scaleValue()});
                cur = ActivationFakeQuantization.fakeQuantize(cur, scale, q.minInt(), q.maxInt(), false);
            } else {
                cur = ((Block) s).forward(ps, new NDList(cur), false).head();
            }
        }
        return cur;
    }

    /** h(V) = clamp(σ(V)·(ζ − γ) + γ, 0, 1). */
    private static NDArray h(NDArray v) {
        return Activation.sigmoid(v)
                .mul(RectifiedSigmoid.ZETA - RectifiedSigmoid.GAMMA)
                .add(RectifiedSigmoid.GAMMA)
                .clip(0, 1);
    }

    private static long[][] hardRounding(Rounded r) {
        float[] floor = r.floorW().toFloatArray();
        float[] v = r.v().toType(DataType.FLOAT32, false).toFloatArray();
        int c = Math.toIntExact(r.floorW().getShape().get(0));
        int k = floor.length / c;
        long[][] q = new long[c][k];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < k; j++) {
                long value = (long) floor[i * k + j] + RectifiedSigmoid.hard(v[i * k + j]);
                q[i][j] = Math.max(r.grid().qMin(), Math.min(r.grid().qMax(), value));
            }
        }
        return q;
    }
}
