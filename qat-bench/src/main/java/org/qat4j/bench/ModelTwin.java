package org.qat4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.Granularity;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * The float32 network an exported fixed-point MLP was trained as, rebuilt from the integer model for the
 * float contenders of {@code qat bench runtime --model FILE}: {@code quantize_fixed → dense → relu →
 * requantize_fixed → … → dense → dequantize_fixed} (what the HGQ exporter writes for dense layers) becomes
 * DJL {@link Linear} layers with ReLU, whose weights are the model's, {@code w = W[o][j]·2^(f_j − F_o)} and
 * {@code b = B[o]·2^(−F_o)} ({@code f_j} the fractional bits of input j, {@code F_o} those of accumulator o,
 * HGQ arXiv 2405.00645 §10's aligned products), rounded to float32. Any other op refuses the model.
 *
 * @param spec the network's shape
 * @param weights per dense layer, {@code [out][in]} row-major, as DJL's Linear stores them
 * @param biases per dense layer
 */
record ModelTwin(BenchNetwork spec, List<float[]> weights, List<float[]> biases) {

    /**
     * @param label how the benchmark names the network (the file)
     * @throws IllegalArgumentException naming the op when the model is not such an MLP
     */
    static ModelTwin of(IntegerModel m, String label) {
        Map<String, int[]> frac = new HashMap<>();
        List<ModelOp> ops = m.ops();
        List<DenseOp> dense = new ArrayList<>();
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        if (m.tensor(m.inputName()).shape().length != 1) {
            throw new IllegalArgumentException("input '" + m.inputName() + "' has shape "
                    + java.util.Arrays.toString(m.tensor(m.inputName()).shape()) + "; only a flat input is supported");
        }
        for (int k = 0; k < ops.size(); k++) {
            ModelOp op = ops.get(k);
            int[] shape = m.tensor(op.name()).shape();
            if (op instanceof QuantizeFixedOp q) {
                frac.put(op.name(), fractions(q.formats().expand(shape, op.name())));
            } else if (op instanceof RequantizeFixedOp q) {
                frac.put(op.name(), fractions(q.formats().expand(shape, op.name())));
            } else if (op instanceof ReluOp r) {
                frac.put(op.name(), frac.get(r.inputs().get(0)));
            } else if (op instanceof DenseOp d) {
                int[] in = frac.get(d.input());
                int[] acc = accumulatorFractions(m, ops, k);
                if (in == null || acc == null) {
                    throw new IllegalArgumentException("op '" + op.name() + "': a dense layer must read a fixed-point"
                            + " quantizer's output and feed requantize_fixed (after relu) or dequantize_fixed");
                }
                boolean last = ops.subList(k + 1, ops.size()).stream().noneMatch(DenseOp.class::isInstance);
                if (last == ops.get(k + 1) instanceof ReluOp) {
                    throw new IllegalArgumentException("op '" + op.name() + "': every dense layer but the last, and"
                            + " only those, must be followed by relu (the float twin is Linear + ReLU)");
                }
                int nIn = d.inFeatures();
                float[] wv = new float[d.outFeatures() * nIn];
                float[] bv = new float[d.outFeatures()];
                int[] ws = d.weights();
                for (int o = 0; o < d.outFeatures(); o++) {
                    for (int j = 0; j < nIn; j++) {
                        wv[o * nIn + j] = (float) Math.scalb((double) ws[o * nIn + j], in[j] - acc[o]);
                    }
                    bv[o] = (float) Math.scalb((double) d.bias()[o], -acc[o]);
                }
                dense.add(d);
                w.add(wv);
                b.add(bv);
            } else if (!(op instanceof DequantizeFixedOp) || k != ops.size() - 1) {
                throw new IllegalArgumentException(
                        "op '" + op.name() + "' (" + op.opType() + "): only fixed-point"
                                + " MLPs (quantize_fixed, dense, relu, requantize_fixed, a final dequantize_fixed) are supported");
            }
        }
        if (dense.isEmpty()) {
            throw new IllegalArgumentException("the model has no dense layer");
        }
        List<BenchLayer> layers = new ArrayList<>();
        StringBuilder shape = new StringBuilder().append(m.tensor(m.inputName()).numel());
        for (DenseOp d : dense) {
            layers.add(BenchLayer.dense(d.outFeatures()));
            shape.append('-').append(d.outFeatures());
        }
        BenchNetwork spec = new BenchNetwork(
                label + " " + shape + " (" + m.provenance().method() + ")",
                false,
                new int[] {m.tensor(m.inputName()).numel()},
                layers);
        return new ModelTwin(spec, w, b);
    }

    /** The fractional bits of accumulator o of the dense op at {@code k}: declared by the op that rescales it. */
    private static int[] accumulatorFractions(IntegerModel m, List<ModelOp> ops, int k) {
        String acc = ops.get(k).name();
        int[] shape = m.tensor(acc).shape();
        for (int t = k + 1; t < ops.size() && t <= k + 2; t++) {
            ModelOp next = ops.get(t);
            if (next instanceof ReluOp r && r.inputs().get(0).equals(acc)) {
                acc = next.name();
            } else if (next instanceof RequantizeFixedOp q && q.input().equals(acc)) {
                return Granularity.expand(q.inputFrac(), shape, q.name() + ".inputFrac");
            } else if (next instanceof DequantizeFixedOp d && d.input().equals(acc)) {
                return Granularity.expand(d.frac(), shape, d.name() + ".frac");
            }
        }
        return null;
    }

    private static int[] fractions(FixedFormat[] formats) {
        int[] f = new int[formats.length];
        for (int e = 0; e < f.length; e++) {
            f[e] = formats[e].f();
        }
        return f;
    }

    /** Copies the model's weights into the initialized plain float network ({@link BenchNetwork#plainFloat()}). */
    void load(SequentialBlock plain) {
        int layer = 0;
        for (Block block : plain.getChildren().values()) {
            if (block instanceof Linear linear) {
                NDArray weight = linear.getParameters().get("weight").getArray();
                NDArray bias = linear.getParameters().get("bias").getArray();
                weight.set(weights.get(layer));
                bias.set(biases.get(layer));
                layer++;
            }
        }
        if (layer != weights.size()) {
            throw new IllegalStateException(
                    "the float network has " + layer + " dense layers, the model " + weights.size());
        }
    }
}
