package org.qat4j.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.core.engine.NoGradScope;

/**
 * A cost model, not a quantizer: a ReLU plus the element-wise passes that any fake quantizer with a learned step
 * (LSQ, arXiv 1902.08153) needs when every op is a separate kernel, as in DJL. Forward: the ReLU, the four passes of
 * the value {@code clamp(round(x/s), 0, hi)·s} (computed and dropped) and one recorded pass that routes a gradient to
 * s; backward: the ReLU mask, and {@code Σ grad·relu(x)} for s. Its output is {@code relu(x)} (times exactly 1), so a
 * network built with it trains like the float one while paying the quantizer's unavoidable memory traffic: the floor
 * for an op-by-op implementation, which a fused kernel (one pass forward, one backward) would go below.
 */
final class FloorActivation extends AbstractBlock {

    private final float hi;
    private final Parameter scale;

    FloorActivation(int bits) {
        super((byte) 1);
        this.hi = (float) ((1L << bits) - 1);
        this.scale = addParameter(Parameter.builder()
                .setName("scale")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(1f / hi))
                .optShape(new Shape(1))
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager scope = x.getManager().newSubManager();
        try {
            NDArray s = ps.getValue(scale, x.getDevice(), training);
            scope.tempAttachAll(s);
            NDArray r = Activation.relu(x);
            try (NoGradScope ignored = NoGradScope.open()) {
                NDArray sd = s.stopGradient();
                NDArray y = r.stopGradient().div(sd);
                NDArray rounded = y.round();
                y.close();
                NDArray q = rounded.minimum(NativeArrays.fullLike(rounded, hi)); // the ReLU did the lower clamp
                rounded.close();
                q.muli(sd).close();
            }
            NDArray out = r.mul(s.div(s.stopGradient()));
            out.attach(x.getManager());
            return new NDList(out);
        } finally {
            scope.close();
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
