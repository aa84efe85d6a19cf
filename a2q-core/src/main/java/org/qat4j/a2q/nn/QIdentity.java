package org.qat4j.a2q.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.qat4j.a2q.quant.ActivationQuantizer;

/**
 * An N-bit activation quantizer without a nonlinearity: {@code clamp(round(x/s), x_min, x_max)·s}, signed by
 * default (σ = 1 in A2Q's bound, arXiv 2308.13504, Sec. 3); unsigned when built so (e.g. after pooling of ReLU
 * outputs).
 */
public final class QIdentity extends AbstractBlock implements QuantizedActivation {

    private static final byte VERSION = 1;
    private final ActivationQuantizer quantizer;

    public QIdentity(ActivationQuantizer quantizer) {
        super(VERSION);
        this.quantizer = addChildBlock("quantizer", quantizer);
    }

    /** An N-bit signed QIdentity with default calibration. */
    public static QIdentity signed(int bits) {
        return new QIdentity(ActivationQuantizer.builder().setBits(bits).optSigned(true).build());
    }

    /** An N-bit unsigned QIdentity with default calibration. */
    public static QIdentity unsigned(int bits) {
        return new QIdentity(ActivationQuantizer.builder().setBits(bits).optSigned(false).build());
    }

    @Override
    public ActivationQuantizer getQuantizer() {
        return quantizer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return quantizer.forward(ps, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        quantizer.initialize(manager, dataType, inputShapes);
    }
}
