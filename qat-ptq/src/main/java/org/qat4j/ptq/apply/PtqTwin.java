package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.a2q.kernel.WeightNormQuantization;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QuantizedActivation;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.convert.A2qLayerChoice;
import org.qat4j.convert.ConvertedLayer;
import org.qat4j.convert.QatModels;
import org.qat4j.convert.QuantizationPolicy;
import org.qat4j.convert.WrappedModel;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.ptq.kernel.UniformGrid;

/**
 * The quantized twin a PTQ method writes into: the float model wrapped by {@link QatModels#wrap} into
 * unconstrained A2Q-family blocks (per-channel weight scale s_c, integers {@code clamp(rint(v/s_c))} in M bits;
 * per-tensor activation quantizers {@code clamp(rint(x/s))}), the model input at 8 bits, every other
 * activation at A bits. A method sets only clips (scales) and, for learned or greedy rounding, the integers
 * themselves; the twin's own forward then defines the network that is exported, so the integer model is the
 * twin bit for bit. Top-level children of the twin are the quantization sites, in forward order.
 */
public final class PtqTwin {

    /** Bits of the model input's quantizer (pixels and standardized features keep 8 bits, as usual in PTQ). */
    public static final int INPUT_BITS = 8;
    /** Value written into an activation quantizer's calibration counter so later training never recalibrates it. */
    private static final float CALIBRATED = 1e9f;

    private final WrappedModel wrapped;
    private final Block source;
    private final NDManager manager;
    private final List<Block> children;
    private final Map<Block, Block> floatOfTwin = new IdentityHashMap<>();

    private PtqTwin(WrappedModel wrapped, Block source, NDManager manager) {
        this.wrapped = wrapped;
        this.source = source;
        this.manager = manager;
        this.children = new ArrayList<>(wrapped.block().getChildren().values());
        for (ConvertedLayer l : wrapped.layers()) {
            floatOfTwin.put(l.twin(), l.source());
        }
    }

    /**
     * Wraps an initialized float model.
     *
     * @param source the trained float block (only read)
     * @param manager where the twin's parameters live
     * @param weightBits M of every layer
     * @param activationBits A of every activation quantizer except the model input's ({@value #INPUT_BITS} bits)
     */
    public static PtqTwin wrap(Block source, NDManager manager, int weightBits, int activationBits) {
        return wrap(source, manager, weightBits, weightBits, activationBits);
    }

    /**
     * Wraps an initialized float model whose first and last layers get their own weight width.
     *
     * @param source the trained float block (only read)
     * @param manager where the twin's parameters live
     * @param weightBits M of every inner layer
     * @param firstLastWeightBits M of the first and the last layer
     * @param activationBits A of every activation quantizer except the model input's ({@value #INPUT_BITS} bits)
     */
    public static PtqTwin wrap(
            Block source, NDManager manager, int weightBits, int firstLastWeightBits, int activationBits) {
        QuantizationPolicy policy = QuantizationPolicy.a2q()
                .setLayerRule(site -> A2qLayerChoice.unconstrained(
                        site.isFirst() || site.isLast() ? firstLastWeightBits : weightBits,
                        site.isFirst() ? INPUT_BITS : activationBits))
                .optEpInit(false)
                .optRegularization(0f)
                .build();
        return new PtqTwin(QatModels.wrap(source, policy, manager), source, manager);
    }

    /** The twin network (export it, evaluate it, or fine-tune it with QAT). */
    public SequentialBlock block() {
        return wrapped.block();
    }

    /** The float model the twin was made from. */
    public Block source() {
        return source;
    }

    /** What the conversion produced. */
    public WrappedModel wrapped() {
        return wrapped;
    }

    /** The twin's top-level blocks in forward order. */
    public List<Block> children() {
        return children;
    }

    /** The float block a twin layer was converted from. */
    public Block floatLayer(AbstractQLayer layer) {
        Block b = floatOfTwin.get(layer);
        if (b == null) {
            throw new IllegalArgumentException("layer " + layer + " is not a layer of this twin");
        }
        return b;
    }

    /** The activation quantizer of a top-level child, or null. */
    public static ActivationQuantizer quantizerOf(Block child) {
        return child instanceof QuantizedActivation qa ? qa.getQuantizer() : null;
    }

    /** The grid of an activation quantizer. */
    public static UniformGrid grid(ActivationQuantizer q) {
        return UniformGrid.activations(q.getBits(), q.isSigned());
    }

    /** Sets an activation quantizer's clip: {@code s = α / x_max}; marks it calibrated. */
    public void setActivationClip(ActivationQuantizer q, double alpha) {
        float s = (float) (alpha / grid(q).qMax());
        try (NoGradScope ignored = NoGradScope.open()) {
            q.getScaleParameter().getArray().set(new float[] {s});
            q.getParameters().get("calibrated").getArray().set(new float[] {CALIBRATED});
        }
    }

    /** The float weights of a layer as {@code [C][K]} (the twin's v, equal to the float model's after wrap). */
    public double[][] weights(AbstractQLayer layer) {
        NDArray v = layer.getWeightQuantizer().getWeight().getArray();
        int c = Math.toIntExact(v.getShape().get(0));
        float[] flat = v.toType(DataType.FLOAT32, false).toFloatArray();
        int k = flat.length / c;
        double[][] w = new double[c][k];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < k; j++) {
                w[i][j] = flat[i * k + j];
            }
        }
        return w;
    }

    /** Sets per-channel weight clips: {@code log2 s_c = log2(α_c / (2^(M−1)−1))}. */
    public void setWeightClips(AbstractQLayer layer, double[] alpha) {
        long qMax = UniformGrid.weights(layer.getWeightBits()).qMax();
        float[] ls = new float[alpha.length];
        for (int c = 0; c < alpha.length; c++) {
            if (!(alpha[c] > 0)) {
                throw new IllegalArgumentException("weight clip of channel " + c + " must be > 0, got " + alpha[c]);
            }
            ls[c] = (float) (Math.log(alpha[c] / qMax) / Math.log(2));
        }
        try (NoGradScope ignored = NoGradScope.open()) {
            layer.getWeightQuantizer().getLog2Scale().getArray().set(ls);
        }
    }

    /** The scales s_c the twin's forward uses ({@code max(2^ls, 1e-10)} in float32, as the layer computes them). */
    public double[] weightScales(AbstractQLayer layer) {
        try (NDManager tmp = manager.newSubManager();
                NoGradScope ignored = NoGradScope.open()) {
            NDArray ls = layer.getWeightQuantizer().getLog2Scale().getArray();
            tmp.tempAttachAll(ls);
            float[] s = WeightNormQuantization.pow2Clamped(ls.stopGradient()).toFloatArray();
            double[] out = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[i];
            }
            return out;
        }
    }

    /**
     * Makes the layer's integer weights exactly {@code q}: v ← {@code fl(q·s_c)}, so that
     * {@code rint(fl(fl(q·s)/s)) = q} (the relative error of the two roundings is below 2^−23, far inside ½ for
     * |q| < 2^15). Checked against the layer's own quantization afterwards.
     */
    public void setIntegerWeights(AbstractQLayer layer, long[][] q) {
        double[] s = weightScales(layer);
        NDArray v = layer.getWeightQuantizer().getWeight().getArray();
        int c = q.length;
        int k = q[0].length;
        float[] flat = new float[c * k];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < k; j++) {
                flat[i * k + j] = (float) q[i][j] * (float) s[i];
            }
        }
        try (NoGradScope ignored = NoGradScope.open()) {
            v.set(flat);
        }
        long[][] got = layer.quantizedWeights().intWeights();
        for (int i = 0; i < c; i++) {
            if (!java.util.Arrays.equals(got[i], q[i])) {
                throw new IllegalStateException("channel " + i + " of " + layer + " does not reproduce its integers");
            }
        }
    }

    /**
     * Runs the twin in evaluation mode and returns the input of every top-level child (index i) and, at index
     * {@code children().size()}, the output. Arrays live in {@code scope}.
     */
    public List<NDArray> trace(NDManager scope, NDArray x) {
        List<NDArray> out = new ArrayList<>();
        ParameterStore ps = new ParameterStore(scope, false);
        try (NoGradScope ignored = NoGradScope.open()) {
            NDArray cur = x;
            for (Block child : children) {
                out.add(cur);
                cur = child.forward(ps, new NDList(cur), false).head();
                cur.attach(scope);
            }
            out.add(cur);
        }
        return out;
    }

    /** The twin's output (evaluation mode), in {@code scope}. */
    public NDArray forward(NDManager scope, NDArray x) {
        List<NDArray> t = trace(scope, x);
        return t.get(t.size() - 1);
    }

    /**
     * The input each float layer receives in the float model, keyed by the float layer block (top-level
     * {@code SequentialBlock} children, nested sequential blocks walked in order), in {@code scope}.
     */
    public Map<Block, NDArray> floatLayerInputs(NDManager scope, NDArray x) {
        Map<Block, NDArray> inputs = new IdentityHashMap<>();
        ParameterStore ps = new ParameterStore(scope, false);
        try (NoGradScope ignored = NoGradScope.open()) {
            floatWalk(source, x, ps, scope, inputs);
        }
        return inputs;
    }

    private NDArray floatWalk(Block block, NDArray x, ParameterStore ps, NDManager scope, Map<Block, NDArray> inputs) {
        if (block instanceof SequentialBlock seq) {
            NDArray cur = x;
            for (Block child : seq.getChildren().values()) {
                cur = floatWalk(child, cur, ps, scope, inputs);
            }
            return cur;
        }
        inputs.put(block, x);
        NDArray y = block.forward(ps, new NDList(x), false).head();
        y.attach(scope);
        return y;
    }

    /** The per-sample input shape. */
    public Shape sampleShape() {
        return wrapped.sampleShape();
    }
}
