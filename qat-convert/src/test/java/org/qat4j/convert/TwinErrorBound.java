package org.qat4j.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.hgq.quant.QuantizerFormats;
import org.qat4j.runtime.fixed.FixedFormat;

/**
 * A rigorous elementwise bound on |twin(x) − float(x)| from the twin's quantization alone, propagated
 * through the float model layer by layer (x: the float activations, e: the bound on the twin's
 * deviation from them):
 *
 * <pre>
 *   input quantizer:  |x̂ − x| ≤ e + δ     δ = 2^(−f−1) (HGQ, RND) or s_x/2 (A2Q, round), |x| for a pruned (zero-width) input
 *   dense / conv:     |ŷ − y| ≤ op(e + δ, |Ŵ|) + op(|x|, |Ŵ − W'|) + |b̂ − b'|     (W', b': batch norm folded)
 *   ReLU, max pool:   1-Lipschitz elementwise, so e passes through the same op; flatten reshapes e
 * </pre>
 *
 * Valid while no activation quantizer clips, i.e. on the data the ranges were calibrated on. Ŵ and b̂ are
 * the twin's actual integer weights times their scales, so the bound also covers EP-init's projection;
 * the weight carry-over itself is checked separately (|Ŵ − W'| ≤ half a step per weight).
 */
final class TwinErrorBound {

    private TwinErrorBound() {}

    /** {float output, bound}, both attached to x0's manager. */
    static NDArray[] propagate(Block floatModel, WrappedModel twin, NDArray x0) {
        NDManager m = x0.getManager();
        List<Block> blocks = new ArrayList<>();
        flatten(floatModel, blocks);
        NDArray x = x0;
        NDArray e = m.zeros(x0.getShape());
        int li = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b instanceof Linear || b instanceof Convolution) {
                ConvertedLayer layer = twin.layers().get(li++);
                if (layer.batchNorm() != null) {
                    i++;
                }
                NDArray[] wb = foldedFloat(b, layer.batchNorm(), m);
                NDArray[] q = quantized(layer.twin(), wb[0].getShape(), m);
                NDArray eIn = inputError(layer.twin(), x, e, m);
                NDArray y = op(b, x, wb[0]);
                NDArray bound = op(b, eIn, q[0].abs())
                        .add(op(b, x.abs(), q[0].sub(wb[0]).abs()));
                if (wb[1] != null) {
                    Shape cs = channelShape(y);
                    y = y.add(wb[1].reshape(cs));
                    bound = bound.add(q[1].sub(wb[1]).abs().reshape(cs));
                }
                x = y;
                e = bound;
            } else if (b instanceof BatchNorm) {
                throw new IllegalStateException("lone BatchNorm in test model");
            } else if (b instanceof LambdaBlock l && l.getName().equals("ReLU")) {
                x = Activation.relu(x);
            } else {
                // max pooling (1-Lipschitz) and flatten: apply the same op to both
                x = run(b, x);
                e = run(b, e);
            }
        }
        return new NDArray[] {x, e};
    }

    /** Largest |Ŵ − W'| / step over the kernel: at most 1/2 when the trained weights were carried over (HGQ). */
    static double worstWeightErrorInSteps(ConvertedLayer layer, NDManager m) {
        AbstractHgqLayer h = (AbstractHgqLayer) layer.twin();
        NDArray[] wb = foldedFloat(layer.source(), layer.batchNorm(), m);
        float[] w = wb[0].toFloatArray();
        QuantizedConstant k = h.quantizedKernel();
        double worst = 0;
        for (int j = 0; j < w.length; j++) {
            if (k.format(j).isZeroWidth()) {
                continue;
            }
            double step = Math.scalb(1.0, -k.fractionalBits()[j]);
            worst = Math.max(worst, Math.abs(k.value(j) - w[j]) / step);
        }
        return worst;
    }

    static void flatten(Block b, List<Block> out) {
        if (b instanceof SequentialBlock) {
            b.getChildren().values().forEach(c -> flatten(c, out));
        } else {
            out.add(b);
        }
    }

    private static NDArray inputError(Block twin, NDArray x, NDArray e, NDManager m) {
        if (twin instanceof AbstractQLayer q) {
            return e.add(q.getInputScale() / 2.0f);
        }
        QuantizerFormats f = ((AbstractHgqLayer) twin).inputFormats();
        float[] delta = new float[f.size()];
        float[] zero = new float[f.size()];
        for (int g = 0; g < delta.length; g++) {
            FixedFormat fmt = f.format(g);
            zero[g] = fmt.isZeroWidth() ? 1f : 0f;
            delta[g] = fmt.isZeroWidth() ? 0f : (float) Math.scalb(1.0, -fmt.f() - 1);
        }
        Shape bits = new Shape(f.bitShape());
        NDArray d = m.create(delta, bits);
        NDArray z = m.create(zero, bits);
        return e.add(d).mul(z.neg().add(1f)).add(x.abs().mul(z));
    }

    private static NDArray[] quantized(Block twin, Shape wShape, NDManager m) {
        if (twin instanceof AbstractQLayer q) {
            QuantizedWeights qw = q.quantizedWeights();
            int k = qw.intWeights()[0].length;
            float[] w = new float[qw.channels() * k];
            for (int c = 0; c < qw.channels(); c++) {
                for (int j = 0; j < k; j++) {
                    w[c * k + j] = qw.intWeights()[c][j] * qw.scale()[c];
                }
            }
            float[] bias = q.getBias();
            return new NDArray[] {m.create(w, wShape), bias == null ? null : m.create(bias)};
        }
        AbstractHgqLayer h = (AbstractHgqLayer) twin;
        QuantizedConstant k = h.quantizedKernel();
        QuantizedConstant bq = h.quantizedBias();
        return new NDArray[] {m.create(values(k), wShape), bq == null ? null : m.create(values(bq))};
    }

    private static float[] values(QuantizedConstant c) {
        float[] v = new float[c.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) c.value(j);
        }
        return v;
    }

    static NDArray[] foldedFloat(Block layer, BatchNorm bn, NDManager m) {
        NDArray w = layer.getParameters().get("weight").getArray().duplicate();
        w.attach(m);
        NDArray b = layer.getParameters().contains("bias")
                ? layer.getParameters().get("bias").getArray().duplicate()
                : null;
        if (b != null) {
            b.attach(m);
        }
        if (bn == null) {
            return new NDArray[] {w, b};
        }
        BatchNormSettings s = BatchNormSettings.read(bn, "test");
        NDArray gamma = s.gamma().duplicate();
        gamma.attach(m);
        NDArray var = s.runningVar().duplicate();
        var.attach(m);
        NDArray mean = s.runningMean().duplicate();
        mean.attach(m);
        NDArray shift = s.beta().duplicate();
        shift.attach(m);
        NDArray scale = gamma.div(var.add(s.epsilon()).sqrt());
        long[] shape = new long[w.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = w.getShape().get(0);
        NDArray wf = w.mul(scale.reshape(new Shape(shape)));
        NDArray bf = shift.add((b == null ? mean.neg() : b.sub(mean)).mul(scale));
        return new NDArray[] {wf, bf};
    }

    private static Shape channelShape(NDArray y) {
        long[] s = new long[y.getShape().dimension() - 1];
        java.util.Arrays.fill(s, 1);
        s[0] = y.getShape().get(1);
        return new Shape(s);
    }

    private static NDArray op(Block layer, NDArray x, NDArray w) {
        if (layer instanceof Linear) {
            return Linear.linear(x, w).singletonOrThrow();
        }
        Convolution c = (Convolution) layer;
        if (c instanceof Conv2d) {
            return Conv2d.conv2d(x, w, null, c.getStride(), c.getPadding(), c.getDilation(), c.getGroups())
                    .singletonOrThrow();
        }
        return ai.djl.nn.convolutional.Conv1d.conv1d(
                        x, w, null, c.getStride(), c.getPadding(), c.getDilation(), c.getGroups())
                .singletonOrThrow();
    }

    private static NDArray run(Block b, NDArray x) {
        return b.forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
                .singletonOrThrow()
                .toType(DataType.FLOAT32, false);
    }
}
