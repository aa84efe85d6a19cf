package org.qat4j.hgq.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.hgq.kernel.HgqBitOps;
import org.qat4j.hgq.kernel.ParameterScope;

/**
 * What an HGQ quantizer's bits cost in the training loss (arXiv 2405.00645 §4, eq. 12): the differentiable
 * activation bit count that enters the EBOPs estimate, and the L1 term on the bits. Kept out of
 * {@link HgqQuantizer}'s forward; the layer combines them ({@code hgq.nn.HgqLayerCost}).
 */
final class HgqBitCost {

    private HgqBitCost() {}

    /**
     * {@code relu(k + i + round(f))} in the bit shape, gradient through f only; i and k from the recorded range
     * ({@code i = ceil(log2(max(|min|, max) + 2^-f))}) or the trained parameters.
     */
    static NDArray activationBits(HgqQuantizer q, ParameterStore ps, NDManager manager, boolean training) {
        HgqQuantizerConfig config = q.getConfig();
        NDArray f = HgqQuantizer.value(ps, q.getFractionalBitsParameter(), manager.getDevice(), training);
        NDArray i = HgqQuantizer.value(ps, q.getIntegerBitsParameter(), manager.getDevice(), training);
        NDArray k = HgqQuantizer.value(ps, q.signBits(), manager.getDevice(), training);
        NDArray min = q.ranges().min.getArray();
        NDArray max = q.ranges().max.getArray();
        try (ParameterScope ignored = ParameterScope.open(manager, f, i, k, min, max)) {
            NDArray fr = HgqBitOps.roundStraightThrough(q.scaledGradient(f));
            NDArray bits;
            if (config.integerBits() == IntegerBitsMode.FROM_DATA && config.role() == QuantizerRole.ACTIVATION) {
                bits = HgqRangeRecorder.bitsEstimate(fr, i, k, min, max);
            } else {
                bits = Activation.relu(fr.add(HgqBitOps.roundStraightThrough(i)).add(k));
            }
            bits.attach(manager);
            return bits;
        }
    }

    /** {@code bitL1 · (Σ f + Σ i if trainable)}, attached to manager; null when bitL1 = 0. */
    static NDArray bitL1(HgqQuantizer q, ParameterStore ps, NDManager manager) {
        HgqQuantizerConfig config = q.getConfig();
        if (config.bitL1() == 0) {
            return null;
        }
        NDArray f = HgqQuantizer.value(ps, q.getFractionalBitsParameter(), manager.getDevice(), true);
        NDArray i = HgqQuantizer.value(ps, q.getIntegerBitsParameter(), manager.getDevice(), true);
        try (ParameterScope ignored = ParameterScope.open(manager, f, i)) {
            NDArray sum = f.sum();
            if (config.integerBits() == IntegerBitsMode.TRAINABLE) {
                sum = sum.add(i.sum());
            }
            NDArray term = sum.mul(NativeArrays.full(manager, config.bitL1(), sum.getDataType()));
            term.attach(manager);
            return term;
        }
    }
}
