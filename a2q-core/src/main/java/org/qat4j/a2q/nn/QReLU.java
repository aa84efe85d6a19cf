package org.qat4j.a2q.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.qat4j.a2q.quant.ActivationQuantizer;

/**
 * ReLU followed by an unsigned N-bit activation quantizer: {@code clamp(round(relu(x)/s), 0, 2^N−1)·s}
 * (the unsigned input format of A2Q, arXiv 2308.13504, Sec. 3, σ = 0).
 */
public final class QReLU extends AbstractBlock implements QuantizedActivation {

    private static final byte VERSION = 1;
    private final ActivationQuantizer quantizer;

    /** N-bit unsigned output with the given calibration steps (see {@link ActivationQuantizer}). */
    public QReLU(ActivationQuantizer quantizer) {
        super(VERSION);
        if (quantizer.isSigned()) {
            throw new IllegalArgumentException("QReLU needs an unsigned quantizer (its output is >= 0), got " + quantizer);
        }
        this.quantizer = addChildBlock("quantizer", quantizer);
    }

    /** An N-bit unsigned QReLU with default calibration. */
    public static QReLU of(int bits) {
        return new QReLU(ActivationQuantizer.builder().setBits(bits).optSigned(false).build());
    }

    @Override
    public ActivationQuantizer getQuantizer() {
        return quantizer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // the unsigned clamp to [0, 2^N − 1] is the ReLU: clamp(round(x/s), 0, hi) = clamp(round(relu(x)/s), 0, hi)
        // with the same gradients (zero for x < 0), so no separate ReLU kernel runs
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
