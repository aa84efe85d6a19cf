package org.qat4j.a2q.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.qat4j.a2q.quant.ActivationQuantizer;

/**
 * Common part of {@link QReLU} and {@link QIdentity}: a block whose whole forward is its N-bit activation
 * quantizer {@code clamp(round(x/s), x_min, x_max)·s} (the quantized input format of A2Q, arXiv 2308.13504, Sec. 3),
 * kept as the child block {@code quantizer} so that it is saved with the model.
 */
public abstract class AbstractQuantizedActivation extends AbstractBlock implements QuantizedActivation {

    private static final byte VERSION = 1;
    private final ActivationQuantizer quantizer;

    protected AbstractQuantizedActivation(ActivationQuantizer quantizer) {
        super(VERSION);
        this.quantizer = addChildBlock("quantizer", quantizer);
    }

    @Override
    public ActivationQuantizer getQuantizer() {
        return quantizer;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return quantizer.forward(ps, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        quantizer.initialize(manager, dataType, inputShapes);
    }
}
