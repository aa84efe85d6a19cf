package org.qat4j.hgq.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.function.UnaryOperator;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.hgq.kernel.HgqBitOps;

/**
 * The range an HGQ activation quantizer has seen, from which its integer bits come (HGQ v1, arXiv
 * 2405.00645 §4.1): per bit group the min and max of the quantized values, saved as the parameters
 * {@code range_min} and {@code range_max}. Training (and calibration) forwards record, each epoch resets;
 * "dirty" means the integer bits have not been re-derived since the last record.
 */
final class HgqRangeRecorder {

    final Parameter min;
    final Parameter max;
    private boolean dirty;

    /** Registers {@code range_min} and {@code range_max} through {@code add} (the quantizer's addParameter). */
    HgqRangeRecorder(UnaryOperator<Parameter> add) {
        min = add.apply(Parameter.builder()
                .setName("range_min")
                .setType(Parameter.Type.OTHER)
                .optRequiresGrad(false)
                .optInitializer(new ConstantInitializer(Float.POSITIVE_INFINITY))
                .build());
        max = add.apply(Parameter.builder()
                .setName("range_max")
                .setType(Parameter.Type.OTHER)
                .optRequiresGrad(false)
                .optInitializer(new ConstantInitializer(Float.NEGATIVE_INFINITY))
                .build());
    }

    boolean isDirty() {
        return dirty;
    }

    void markClean() {
        dirty = false;
    }

    /** Widens the recorded range by the values of {@code quantized}, reduced over the axes bits are shared on. */
    void record(ParameterStore ps, NDArray quantized, NDArray x, Shape bitShape) {
        NDArray q = quantized.stopGradient();
        int[] axes = BitGroups.sharedAxes(bitShape, q.getShape());
        NDArray lo = q;
        NDArray hi = q;
        for (int a : axes) { // the PyTorch engine reduces min/max over one axis at a time
            lo = lo.min(new int[] {a}, true);
            hi = hi.max(new int[] {a}, true);
        }
        NDArray lowest = ps == null ? min.getArray() : ps.getValue(min, x.getDevice(), true);
        NDArray highest = ps == null ? max.getArray() : ps.getValue(max, x.getDevice(), true);
        try (NoGradScope ignored = NoGradScope.open()) {
            lowest.intern(lo.minimum(lowest).reshape(bitShape));
            highest.intern(hi.maximum(highest).reshape(bitShape));
        }
        dirty = true;
    }

    /** Forgets the recorded range. */
    void reset() {
        NDArray lo = min.getArray();
        NDArray hi = max.getArray();
        try (NoGradScope ignored = NoGradScope.open()) {
            lo.intern(lo.getManager().full(lo.getShape(), Float.POSITIVE_INFINITY, lo.getDataType()));
            hi.intern(hi.getManager().full(hi.getShape(), Float.NEGATIVE_INFINITY, hi.getDataType()));
        }
        dirty = false;
    }

    /**
     * {@code relu(k + i + fr)} with i and k from the range where one was recorded
     * ({@code i = ceil(log2(max(|min|, max) + 2^-fr))}, {@code k = [min < 0]}), else the parameters; the
     * gradient flows through {@code fr} only. {@code lo} and {@code hi} are this recorder's arrays.
     */
    static NDArray bitsEstimate(NDArray fr, NDArray i, NDArray k, NDArray lo, NDArray hi) {
        NDArray seen = lo.lte(hi);
        NDArray absMax = NativeArrays.maximum(hi.maximum(lo.neg()), 0);
        NDArray step = HgqBitOps.pow2(fr.neg().stopGradient());
        NDArray iData = absMax.add(step).log2().ceil();
        NDArray kData = lo.lt(0).toType(fr.getDataType(), false);
        NDArray iEst = NDArrays.where(seen, iData, i.round()).stopGradient();
        NDArray kEst = NDArrays.where(seen, kData, k).stopGradient();
        return Activation.relu(fr.add(iEst).add(kEst));
    }
}
