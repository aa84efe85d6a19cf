package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.hgq.quant.QuantizerFormats;
import org.qat4j.hgq.quant.QuantizerRole;

/**
 * Quantizes the values passing through it with trainable per-element (default), per-channel or
 * per-tensor bits (HGQ's {@code HQuantize}, arXiv 2405.00645 §3). Put it first to quantize the model
 * input: the integer runtime then receives fixed-point inputs with known formats. Elsewhere it pins
 * the format of an intermediate tensor (for example before a pooling layer).
 */
public final class HQuantize extends AbstractBlock {

    private static final byte VERSION = 1;

    private final HgqQuantizer quantizer;

    /** A quantizer with the activation defaults (per element, i0 = 2, f0 = 6, ranges from data). */
    public HQuantize() {
        this(HgqQuantizerConfig.activations().build());
    }

    /**
     * @param config an activation quantizer configuration
     */
    public HQuantize(HgqQuantizerConfig config) {
        super(VERSION);
        if (config.role() != QuantizerRole.ACTIVATION) {
            throw new IllegalArgumentException(
                    "HQuantize needs an activation quantizer (HgqQuantizerConfig.activations()), got role "
                            + config.role());
        }
        quantizer = addChildBlock("q", new HgqQuantizer(config));
    }

    public HgqQuantizer getQuantizer() {
        return quantizer;
    }

    /** The exact formats at inference. */
    public QuantizerFormats formats() {
        return quantizer.formats();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        quantizer.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(quantizer.quantize(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("HQuantize: unknown parameter version " + loadVersion);
        }
        readInputShapes(is);
    }
}
