package org.qat4j.convert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import java.util.function.Consumer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trained float DJL model into its quantization-aware twin, the way Brevitas users swap
 * {@code nn.Linear} for {@code QuantLinear}, but without editing the model: HGQ twins (arXiv
 * 2405.00645, per-weight and per-activation trainable fixed-point bits) or A2Q / A2Q+ twins (arXiv
 * 2308.13504, 2401.10432, accumulator-aware weight normalization), chosen by a
 * {@link QuantizationPolicy}.
 *
 * <p>Supported float blocks: {@code Linear}, {@code Conv1d}, {@code Conv2d}, a {@code BatchNorm} directly
 * after one of them (fused by HGQ, folded by A2Q), {@code Activation.reluBlock()},
 * {@code Blocks.batchFlattenBlock()}, {@code Pool.maxPool1d/2dBlock} and {@code Pool.avgPool1d/2dBlock}
 * (average windows of 2^n elements), nested {@code SequentialBlock}s and {@code ParallelBlock}s. Any
 * other block is refused with an {@link UnsupportedBlockException} naming its class and path.
 *
 * <pre>{@code
 * WrappedModel twin = QatModels.wrap(floatModel.getBlock(), QuantizationPolicy.hgq().build(), qatModel.getNDManager());
 * qatModel.setBlock(twin.block());
 * QatModels.calibrate(twin.block(), manager, calibrationBatches);   // activation ranges from data
 * }</pre>
 */
public final class QatModels {

    private static final Logger LOG = LoggerFactory.getLogger(QatModels.class);

    private QatModels() {}

    /**
     * Builds the twin of an initialized (trained or loaded) float block, initializes it with the float
     * block's input shape in {@code manager}, and writes the trained parameters into it. The float block
     * is only read. Create the {@code Trainer} after this call (a trainer caches parameter arrays).
     *
     * @param source the float model's block, initialized
     * @param policy the quantization method and its settings
     * @param manager where the twin's parameters live (e.g. the QAT model's manager)
     * @return the twin and what was replaced
     * @throws UnsupportedBlockException for a block without a twin, naming it and its path
     */
    public static WrappedModel wrap(Block source, QuantizationPolicy policy, NDManager manager) {
        java.util.Objects.requireNonNull(source, "source");
        java.util.Objects.requireNonNull(policy, "policy");
        java.util.Objects.requireNonNull(manager, "manager");
        if (!source.isInitialized()) {
            throw new IllegalArgumentException(
                    "the float block " + source.getClass().getSimpleName()
                            + " is not initialized: train, initialize or load it before wrapping");
        }
        Shape[] inputShapes = source.getInputShapes();
        if (inputShapes.length != 1) {
            throw new IllegalArgumentException("the float block takes " + inputShapes.length
                    + " inputs; the converter handles models with one input");
        }
        List<SourceNode> nodes = SourceTree.walk(source);
        SequentialBlock twin;
        List<ConvertedLayer> layers;
        List<Consumer<NDManager>> copies;
        if (policy.getMethod() == QuantizationPolicy.Method.HGQ) {
            HgqTwinBuilder b = new HgqTwinBuilder(policy);
            twin = b.buildTop(nodes, inputShapes[0]);
            layers = b.layers;
            copies = b.copies;
        } else {
            A2qTwinBuilder b = new A2qTwinBuilder(policy, nodes);
            twin = b.buildTop(nodes);
            layers = b.layers;
            copies = b.copies;
        }
        twin.initialize(manager, dataTypeOf(source), inputShapes[0]);
        try (NoGradScope ignored = NoGradScope.open()) {
            copies.forEach(c -> c.accept(manager));
        }
        if (LOG.isDebugEnabled()) {
            layers.forEach(l -> LOG.debug("converted {}", l));
        }
        return new WrappedModel(twin, policy, layers, inputShapes[0]);
    }

    /**
     * Sets the twin's activation ranges from data, before QAT and again before export: HGQ quantizers
     * record the ranges seen and re-derive their integer bits ({@code HgqCalibration.traceMinMax}); A2Q
     * activation quantizers set their scale {@code s = absmax/x_max} from the first batch(es), as many as
     * their calibration steps (default 1), in training-mode forwards without gradients, and keep it
     * afterwards (later calls do not recalibrate them). Call it with representative inputs, the most
     * representative batch first.
     *
     * @return the number of batches seen
     */
    public static long calibrate(Block twin, NDManager manager, Iterable<NDList> batches) {
        boolean hgq = !BlockTrees.find(twin, HgqQuantizer.class).isEmpty();
        boolean a2q = !BlockTrees.find(twin, ActivationQuantizer.class).isEmpty();
        if (hgq) {
            return HgqCalibration.traceMinMax(twin, manager, batches);
        }
        if (!a2q) {
            throw new IllegalArgumentException("the block " + twin.getClass().getSimpleName()
                    + " has no HGQ or A2Q activation quantizer to calibrate");
        }
        long n = 0;
        try (NoGradScope ignored = NoGradScope.open()) {
            ParameterStore ps = new ParameterStore(manager, false);
            for (NDList input : batches) {
                try (NDManager sub = manager.newSubManager()) {
                    twin.forward(ps, input, true).attach(sub);
                }
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("calibration data is empty: no batch was seen");
        }
        return n;
    }

    private static DataType dataTypeOf(Block source) {
        for (Pair<String, Parameter> p : source.getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getDataType();
            }
        }
        return DataType.FLOAT32;
    }
}
