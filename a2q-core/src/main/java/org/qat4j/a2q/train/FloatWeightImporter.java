package org.qat4j.a2q.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;

/**
 * Loads a float DJL model's dense and convolution parameters into its quantized twin and re-derives the A2Q
 * parameters ({@code s = absmax/(2^(M−1)−1)}, {@code g = ‖v‖₁}, arXiv 2308.13504, Sec. 4), optionally followed by
 * EP-init (arXiv 2401.10432, Sec. 4.2).
 *
 * <p>Layers are paired in block-tree order: the i-th {@link Linear} / {@link Convolution} of the float model goes to
 * the i-th {@link AbstractQLayer} of the twin. Counts, weight shapes and bias presence must agree; any mismatch is
 * an error naming the pair. Both models must be initialized.
 */
public final class FloatWeightImporter {

    private FloatWeightImporter() {}

    /**
     * Copies the weights and biases, re-derives s and g, and runs EP-init on constrained layers if asked.
     *
     * @return the number of layers imported
     */
    public static int importWeights(Block floatModel, Block quantizedTwin, boolean epInit) {
        List<Block> sources = new ArrayList<>();
        for (Block b : BlockTrees.find(floatModel, Block.class)) {
            if (b instanceof Linear || b instanceof Convolution) {
                sources.add(b);
            }
        }
        List<AbstractQLayer> targets = BlockTrees.find(quantizedTwin, AbstractQLayer.class);
        if (sources.size() != targets.size()) {
            throw new IllegalArgumentException("the float model has " + sources.size()
                    + " dense/convolution layers but the quantized twin has " + targets.size());
        }
        for (int i = 0; i < sources.size(); i++) {
            Block src = sources.get(i);
            AbstractQLayer dst = targets.get(i);
            Parameter w = src.getParameters().get("weight");
            Parameter b = src.getParameters().get("bias");
            String pair = "layer " + i + " (" + src.getClass().getSimpleName() + " -> "
                    + dst.getClass().getSimpleName() + ")";
            if (w == null || !w.isInitialized()) {
                throw new IllegalArgumentException(pair + ": the float layer has no initialized weight");
            }
            if ((b != null) != (dst.getBiasParameter() != null)) {
                throw new IllegalArgumentException(pair + ": bias present in float layer = " + (b != null)
                        + " but in the quantized layer = " + (dst.getBiasParameter() != null));
            }
            try {
                dst.getWeightQuantizer().loadFloatWeights(w.getArray());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(pair + ": " + e.getMessage(), e);
            }
            if (b != null) {
                try (NoGradScope ignored = NoGradScope.open()) {
                    var target = dst.getBiasParameter().getArray();
                    if (!target.getShape().equals(b.getArray().getShape())) {
                        throw new IllegalArgumentException(pair + ": bias shape "
                                + b.getArray().getShape() + " does not match " + target.getShape());
                    }
                    target.set(b.getArray().toType(target.getDataType(), false).toByteBuffer());
                }
            }
            if (epInit && dst.getVariant().isConstrained()) {
                dst.epInit();
            }
        }
        return sources.size();
    }
}
