package org.qat4j.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import java.lang.reflect.Field;

/**
 * The settings and statistics of a trained DJL {@link BatchNorm}. DJL exposes its parameters but not
 * its axis, ε and momentum, so those are read from the block's private fields (one place, checked:
 * a DJL version without them fails here with the block's path). Folding into the preceding layer at
 * inference (HGQ arXiv 2405.00645 §3 fuses the same formula during training):
 *
 * <pre>
 *   W' = W·γ/sqrt(σ² + ε),   b' = β + (b − μ)·γ/sqrt(σ² + ε)
 * </pre>
 *
 * @param epsilon ε
 * @param momentum the running-statistics momentum
 * @param gamma γ
 * @param beta β
 * @param runningMean μ
 * @param runningVar σ²
 */
record BatchNormSettings(
        float epsilon, float momentum, NDArray gamma, NDArray beta, NDArray runningMean, NDArray runningVar) {

    static BatchNormSettings read(BatchNorm bn, String path) {
        int axis = (Integer) field(bn, "axis", path);
        if (axis != 1) {
            throw new UnsupportedBlockException(
                    path,
                    "BatchNorm over axis " + axis
                            + " cannot be folded into the preceding layer's output channels (axis 1)");
        }
        float epsilon = (Float) field(bn, "epsilon", path);
        float momentum = (Float) field(bn, "momentum", path);
        return new BatchNormSettings(
                epsilon,
                momentum,
                array(bn, "gamma", path),
                array(bn, "beta", path),
                array(bn, "runningMean", path),
                array(bn, "runningVar", path));
    }

    /** {@code γ/sqrt(σ² + ε)} per channel, in the manager of γ's result (the caller scopes it). */
    NDArray scale() {
        return gamma.div(runningVar.add(epsilon).sqrt());
    }

    private static NDArray array(BatchNorm bn, String name, String path) {
        Parameter p = bn.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new UnsupportedBlockException(
                    path,
                    "BatchNorm has no initialized parameter '" + name + "' (initialize or load the float model first)");
        }
        return p.getArray();
    }

    private static Object field(BatchNorm bn, String name, String path) {
        try {
            Field f = BatchNorm.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(bn);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnsupportedBlockException(path, "cannot read BatchNorm." + name + " from this DJL version: " + e);
        }
    }
}
