package org.qat4j.hgq.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.qat4j.core.engine.NoGradScope;

/**
 * Batch norm folded into a kernel and bias, as HGQ's *BatchNorm layers train (arXiv 2405.00645, §4.3):
 * {@code W' = W·γ/sqrt(σ² + ε)}, {@code b' = β + (b − μ)·γ/sqrt(σ² + ε)}, with the batch statistics of
 * the unnormalised output in training (and the running statistics updated in place) and the running
 * statistics at inference.
 */
final class BatchNormFolding {

    private BatchNormFolding() {}

    /**
     * Per-channel mean and (biased) variance of z over every axis but 1, and the in-place update
     * {@code running = momentum·running + (1 − momentum)·batch}.
     *
     * @return {mean, variance}, recorded for autograd
     */
    static NDArray[] batchStatistics(
            NDArray z, long channels, NDArray runningMean, NDArray runningVar, float momentum) {
        // reduce one axis, as the engine needs
        NDArray perChannel = z.swapAxes(0, 1).reshape(channels, -1);
        NDArray mean = perChannel.mean(new int[] {1});
        NDArray var = perChannel.sub(mean.reshape(channels, 1)).square().mean(new int[] {1});
        try (NoGradScope ignored = NoGradScope.open()) {
            runningMean.addi(mean.stopGradient().sub(runningMean).muli(1 - momentum));
            runningVar.addi(var.stopGradient().sub(runningVar).muli(1 - momentum));
        }
        return new NDArray[] {mean, var};
    }

    /**
     * (W', b'): the folded kernel (output channels on axis 0) and bias.
     *
     * @param b the bias, or null
     */
    static NDArray[] fold(
            NDArray w, NDArray b, NDArray gamma, NDArray shift, NDArray mean, NDArray var, float epsilon) {
        NDArray scale = gamma.div(var.add(epsilon).sqrt());
        long[] wShape = new long[w.getShape().dimension()];
        java.util.Arrays.fill(wShape, 1);
        wShape[0] = w.getShape().get(0);
        NDArray wFused = w.mul(scale.reshape(new Shape(wShape)));
        NDArray centred = b == null ? mean.neg() : b.sub(mean);
        NDArray bFused = shift.add(centred.mul(scale));
        return new NDArray[] {wFused, bFused};
    }
}
