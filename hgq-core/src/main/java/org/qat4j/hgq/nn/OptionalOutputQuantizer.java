package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.hgq.quant.QuantizerRole;

/**
 * Base of the parameter-free blocks that may quantize their output (activation, add): the output
 * quantizer, when present, is the child {@code oq}.
 */
abstract class OptionalOutputQuantizer extends AbstractBlock {

    private static final byte VERSION = 1;

    protected final HgqQuantizer outputQuantizer;

    protected OptionalOutputQuantizer(HgqQuantizerConfig outputConfig, String block) {
        super(VERSION);
        if (outputConfig != null && outputConfig.role() != QuantizerRole.ACTIVATION) {
            throw new IllegalArgumentException(block + ": the output quantizer must be an activation quantizer"
                    + " (HgqQuantizerConfig.activations()), got role " + outputConfig.role());
        }
        outputQuantizer = outputConfig == null ? null : addChildBlock("oq", new HgqQuantizer(outputConfig));
    }

    /** The output quantizer, or null. */
    public HgqQuantizer getOutputQuantizer() {
        return outputQuantizer;
    }

    protected NDArray quantizeOutput(ParameterStore ps, NDArray y, boolean training) {
        return outputQuantizer == null ? y : outputQuantizer.quantize(ps, y, training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (outputQuantizer != null) {
            outputQuantizer.initialize(manager, dataType, getOutputShapes(inputShapes)[0]);
        }
    }

    /** Writes structural settings. */
    protected abstract void saveSettings(DataOutputStream os) throws IOException;

    /** Reads structural settings. */
    protected abstract void loadSettings(DataInputStream is) throws IOException, MalformedModelException;

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        super.saveMetadata(os);
        os.writeBoolean(outputQuantizer != null);
        saveSettings(os);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    getClass().getSimpleName() + ": unknown parameter version " + loadVersion);
        }
        readInputShapes(is);
        boolean saved = is.readBoolean();
        if (saved != (outputQuantizer != null)) {
            throw new MalformedModelException(getClass().getSimpleName() + ": the model file has outputQuantizer = "
                    + saved + " but the block was built with outputQuantizer = " + (outputQuantizer != null));
        }
        loadSettings(is);
    }
}
