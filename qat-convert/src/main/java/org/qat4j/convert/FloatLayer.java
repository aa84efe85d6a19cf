package org.qat4j.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import org.qat4j.core.engine.NoGradScope;

/**
 * A float dense or convolution layer, optionally followed by a batch norm: its geometry and its
 * (W', b') with the batch norm folded in at inference,
 * {@code W' = W·γ/sqrt(σ² + ε), b' = β + (b − μ)·γ/sqrt(σ² + ε)} (the fold HGQ, arXiv 2405.00645 §3,
 * applies during training, and A2Q-family layers need before their weights are quantized).
 */
final class FloatLayer {

    final String path;
    final Block block;
    final BatchNorm batchNorm;
    final NDArray weight;
    final NDArray bias;

    FloatLayer(SourceNode node, SourceNode batchNormNode) {
        this.path = node.path();
        this.block = node.block();
        this.batchNorm = batchNormNode == null ? null : (BatchNorm) batchNormNode.block();
        Parameter w = block.getParameters().get("weight");
        if (w == null || !w.isInitialized()) {
            throw new UnsupportedBlockException(
                    path,
                    block.getClass().getSimpleName()
                            + " has no initialized weight: initialize or load the float model before wrapping it");
        }
        this.weight = w.getArray();
        Parameter b =
                block.getParameters().contains("bias") ? block.getParameters().get("bias") : null;
        this.bias = b == null || !b.isInitialized() ? null : b.getArray();
    }

    long outChannels() {
        return weight.getShape().get(0);
    }

    boolean hasBias() {
        return bias != null;
    }

    Convolution conv() {
        return (Convolution) block;
    }

    /** W' and b' (b' null only without bias and batch norm), attached to {@code manager}. */
    NDArray[] folded(NDManager manager) {
        try (NoGradScope ignored = NoGradScope.open();
                NDManager sub = manager.newSubManager()) {
            NDArray w = weight.duplicate();
            w.attach(sub);
            NDArray b = bias == null ? null : bias.duplicate();
            if (b != null) {
                b.attach(sub);
            }
            if (batchNorm != null) {
                BatchNormSettings bn = BatchNormSettings.read(batchNorm, path);
                NDArray gamma = bn.gamma().duplicate();
                gamma.attach(sub);
                NDArray var = bn.runningVar().duplicate();
                var.attach(sub);
                NDArray mean = bn.runningMean().duplicate();
                mean.attach(sub);
                NDArray shift = bn.beta().duplicate();
                shift.attach(sub);
                NDArray scale = gamma.div(var.add(bn.epsilon()).sqrt());
                long[] s = new long[w.getShape().dimension()];
                java.util.Arrays.fill(s, 1);
                s[0] = outChannels();
                w = w.mul(scale.reshape(new Shape(s)));
                NDArray centred = b == null ? mean.neg() : b.sub(mean);
                b = shift.add(centred.mul(scale));
            }
            w.attach(manager);
            if (b != null) {
                b.attach(manager);
            }
            return new NDArray[] {w, b};
        }
    }
}
