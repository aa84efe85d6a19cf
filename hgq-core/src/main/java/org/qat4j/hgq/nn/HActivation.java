package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.hgq.quant.HgqQuantizerConfig;

/**
 * ReLU or identity, optionally followed by an output quantizer (HGQ's {@code HActivation}, arXiv
 * 2405.00645 §3). Both functions map a fixed-point grid onto itself, so the block is exact; the
 * output quantizer, if any, fixes the format the next layer receives (after ReLU its sign bit drops
 * to 0 from the recorded range).
 */
public final class HActivation extends OptionalOutputQuantizer {

    private final HActivationType type;

    /**
     * @param type ReLU or identity
     * @param outputQuantizer the output quantizer settings, or null for none
     */
    public HActivation(HActivationType type, HgqQuantizerConfig outputQuantizer) {
        super(outputQuantizer, "HActivation");
        this.type = java.util.Objects.requireNonNull(type, "type");
    }

    /** A ReLU without output quantizer. */
    public static HActivation relu() {
        return new HActivation(HActivationType.RELU, null);
    }

    public HActivationType getType() {
        return type;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = type == HActivationType.RELU ? Activation.relu(x) : x;
        return new NDList(quantizeOutput(ps, y, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void saveSettings(DataOutputStream os) throws IOException {
        os.writeUTF(type.name());
    }

    @Override
    protected void loadSettings(DataInputStream is) throws IOException, MalformedModelException {
        String saved = is.readUTF();
        if (!saved.equals(type.name())) {
            throw new MalformedModelException(
                    "HActivation: the model file has type = " + saved + " but the block was built with type = " + type);
        }
    }
}
