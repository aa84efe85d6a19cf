package org.qat4j.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.qat4j.a2q.nn.AbstractQConv;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.nn.QConv1d;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QIdentity;
import org.qat4j.a2q.nn.QLayerBuilder;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.nn.QuantizedActivation;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.runtime.model.PoolOp;

/**
 * Builds the A2Q / A2Q+ twin (arXiv 2308.13504, 2401.10432). A layer's accumulator bound needs N-bit
 * integer inputs, so every dense/convolution layer reads the integers of a quantized activation:
 * {@code ReLU} becomes {@code QReLU} (unsigned, N of the next layer), and where a layer's input is not on
 * such a grid (the model input, a layer without ReLU before it, average pooling) a {@code QIdentity}
 * (signed, or unsigned after a ReLU) is inserted; the model input's quantizer has a fixed scale set by
 * calibration. Max pooling and flatten keep the grid and pass it through (exact {@code QatPool},
 * {@code QatFlatten}). A batch norm after a layer is folded into the float weights before import (running
 * statistics). After initialization the folded weights are imported (s and g re-derived) and
 * constrained layers are EP-initialized when the policy asks.
 */
final class A2qTwinBuilder {

    private final QuantizationPolicy policy;
    private final Map<SourceNode, A2qLayerChoice> choices = new IdentityHashMap<>();
    private final List<SourceNode> order = new ArrayList<>();
    final List<ConvertedLayer> layers = new ArrayList<>();
    final List<Consumer<NDManager>> copies = new ArrayList<>();

    private QuantizedActivation current;
    private boolean nonNegative;
    private boolean modelInput = true;

    A2qTwinBuilder(QuantizationPolicy policy, List<SourceNode> nodes) {
        this.policy = policy;
        collect(nodes);
        for (int i = 0; i < order.size(); i++) {
            SourceNode n = order.get(i);
            LayerSite site = new LayerSite(
                    n.path(), i, order.size(), n.block().getClass().getSimpleName());
            A2qLayerChoice c = policy.getLayerRule().choose(site);
            if (c == null) {
                throw new IllegalArgumentException(n.path() + ": the A2Q layer rule returned no choice");
            }
            choices.put(n, c);
        }
    }

    private void collect(List<SourceNode> nodes) {
        for (SourceNode n : nodes) {
            if (n.kind().isLayer()) {
                order.add(n);
            }
            n.branches().forEach(this::collect);
        }
    }

    SequentialBlock buildTop(List<SourceNode> nodes) {
        return build(nodes);
    }

    private SequentialBlock build(List<SourceNode> nodes) {
        SequentialBlock seq = new SequentialBlock();
        for (int i = 0; i < nodes.size(); i++) {
            SourceNode n = nodes.get(i);
            switch (n.kind()) {
                case LINEAR, CONV1D, CONV2D -> {
                    A2qLayerChoice c = choices.get(n);
                    if (current == null) {
                        QIdentity q = new QIdentity(ActivationQuantizer.builder()
                                .setBits(c.inputBits())
                                .optSigned(!nonNegative)
                                .optTrainableScale(!modelInput)
                                .build());
                        seq.add(q);
                        current = q;
                    }
                    int j = i + 1;
                    SourceNode bn = null;
                    if (j < nodes.size() && nodes.get(j).kind() == SourceKind.BATCH_NORM) {
                        bn = nodes.get(j++);
                    }
                    seq.add(layer(new FloatLayer(n, bn), n.kind(), c));
                    current = null;
                    nonNegative = false;
                    if (j < nodes.size() && nodes.get(j).kind() == SourceKind.RELU) {
                        seq.add(relu(nextInputBits()));
                        j++;
                    }
                    i = j - 1;
                }
                case BATCH_NORM ->
                    throw new UnsupportedBlockException(
                            n.path(),
                            "BatchNorm does not directly follow a"
                                    + " Linear/Conv1d/Conv2d, so there is no layer to fold it into");
                case RELU -> seq.add(relu(nextInputBits()));
                case FLATTEN -> seq.add(new QatFlatten());
                case ADD -> {
                    // a float32 sum of the branches (A2qExporter repeats it with add_float): the next layer quantizes
                    // it
                    seq.add(new QatAdd());
                    current = null;
                    nonNegative = false;
                }
                case POOL -> {
                    seq.add(n.pool());
                    if (n.pool().getPoolKind() != PoolOp.Kind.MAX) {
                        current = null; // an average leaves the input grid: the next layer gets its own quantizer
                    }
                }
                case PARALLEL -> {
                    QuantizedActivation in = current;
                    boolean inNonNegative = nonNegative;
                    boolean inModelInput = modelInput;
                    List<Block> branches = new ArrayList<>();
                    for (List<SourceNode> branch : n.branches()) {
                        current = in;
                        nonNegative = inNonNegative;
                        modelInput = inModelInput;
                        branches.add(
                                branch.isEmpty()
                                        ? ai.djl.nn.Blocks.identityBlock()
                                        : build(branch)); // DJL refuses an empty sequence
                    }
                    seq.add(new ParallelBlock(SourceTree.joinOf((ParallelBlock) n.block(), n.path()), branches));
                    current = null;
                    nonNegative = false;
                }
                default -> throw new IllegalStateException(n.kind().name());
            }
            modelInput = false;
        }
        return seq;
    }

    private QReLU relu(int bits) {
        QReLU r = new QReLU(
                ActivationQuantizer.builder().setBits(bits).optSigned(false).build());
        current = r;
        nonNegative = true;
        return r;
    }

    /** N of the next layer in forward order (layers are converted in that order); 8 when none follows. */
    private int nextInputBits() {
        int next = layers.size();
        return next < order.size() ? choices.get(order.get(next)).inputBits() : 8;
    }

    private AbstractQLayer layer(FloatLayer f, SourceKind kind, A2qLayerChoice c) {
        AbstractQLayer twin;
        try {
            twin = switch (kind) {
                case LINEAR ->
                    settings(QLinear.builder().setUnits(f.outChannels()), f, c).build();
                case CONV1D ->
                    settings(geometry(QConv1d.builder(), f.conv()), f, c).build();
                default -> settings(geometry(QConv2d.builder(), f.conv()), f, c).build();
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.path + ": " + e.getMessage(), e);
        }
        layers.add(new ConvertedLayer(f.path, f.block, f.batchNorm, twin));
        boolean epInit = policy.isEpInit() && c.variant().isConstrained();
        copies.add(manager -> copy(f, twin, manager, epInit));
        return twin;
    }

    /** The settings every A2Q layer kind takes from the choice, the float layer and the current input. */
    private <B extends QLayerBuilder<B>> B settings(B builder, FloatLayer f, A2qLayerChoice c) {
        return builder.setVariant(c.variant())
                .setWeightBits(c.weightBits())
                .optAccumulatorBits(c.variant().isConstrained() ? c.accumulatorBits() : -1)
                .optInputFrom(current)
                .optBias(f.hasBias() || f.batchNorm != null)
                .optRegularization(policy.getRegularization());
    }

    /** The float convolution's geometry on a 1-D or 2-D A2Q convolution builder. */
    private static <B extends AbstractQConv.ConvBuilder<B>> B geometry(B builder, Convolution conv) {
        return builder.setKernelShape(conv.getKernelShape())
                .setFilters(conv.getFilters())
                .optStride(conv.getStride())
                .optPadding(conv.getPadding())
                .optDilation(conv.getDilation())
                .optGroups(conv.getGroups());
    }

    private static void copy(FloatLayer f, AbstractQLayer twin, NDManager manager, boolean epInit) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] wb = f.folded(sub);
            try {
                twin.getWeightQuantizer().loadFloatWeights(wb[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(f.path + ": " + e.getMessage(), e);
            }
            if (wb[1] != null) {
                ParameterValues.set(twin.getBiasParameter(), wb[1], f.path + " bias");
            }
        }
        if (epInit) {
            twin.epInit();
        }
    }
}
