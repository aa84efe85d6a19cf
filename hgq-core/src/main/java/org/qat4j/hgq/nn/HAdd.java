package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.hgq.quant.HgqQuantizerConfig;

/**
 * Element-wise sum of its inputs (residual connections), optionally followed by an output quantizer
 * (HGQ2's quantized add, arXiv 2405.00645 §3). Sums of fixed-point values are exact on the finest of
 * their grids; the output quantizer, if any, requantizes the result. Use it as the join of a DJL
 * {@code ParallelBlock} or feed it an NDList of equally shaped arrays.
 */
public final class HAdd extends OptionalOutputQuantizer {

    /** @param outputQuantizer the output quantizer settings, or null for none */
    public HAdd(HgqQuantizerConfig outputQuantizer) {
        super(outputQuantizer, "HAdd");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("HAdd needs at least 2 inputs, got " + inputs.size());
        }
        NDArray sum = inputs.get(0);
        for (int j = 1; j < inputs.size(); j++) {
            if (!inputs.get(j).getShape().equals(sum.getShape())) {
                throw new IllegalArgumentException("HAdd inputs must have equal shapes, got " + inputs.getShapes()[0]
                        + " and " + inputs.get(j).getShape() + " (input " + j + ")");
            }
            sum = sum.add(inputs.get(j));
        }
        return new NDList(quantizeOutput(ps, sum, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void saveSettings(DataOutputStream os) {}

    @Override
    protected void loadSettings(DataInputStream is) throws IOException, MalformedModelException {}
}
