package org.qat4j.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.qat4j.core.nn.QatAdd;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.hgq.nn.AbstractHConv;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HActivation;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HConv1d;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.nn.HQuantize;
import org.qat4j.hgq.quant.BitGranularity;

/**
 * Builds the HGQ twin (arXiv 2405.00645): {@code Linear/Conv [BatchNorm] [ReLU]} becomes one
 * {@code HDense}/{@code HConv1d}/{@code HConv2d} with the batch norm fused (trained with batch statistics,
 * folded with running statistics at inference, as HGQ's fused layers) and the ReLU fused; a lone ReLU
 * becomes {@code HActivation}, pooling {@code QatPool}, batch flatten {@code QatFlatten}. Every HGQ layer
 * quantizes its own input, so the model input is quantized by the first layer; an {@code HQuantize} is
 * put first when the model does not start with a layer. After initialization the trained parameters
 * are written in and the initial fractional bits of every kernel weight and bias are re-derived from the
 * trained, folded values ({@code f = b0 − floor(log2|w|) − 1}), written into the existing bit arrays.
 */
final class HgqTwinBuilder {

    private final QuantizationPolicy policy;
    final List<ConvertedLayer> layers = new ArrayList<>();
    final List<Consumer<NDManager>> copies = new ArrayList<>();

    HgqTwinBuilder(QuantizationPolicy policy) {
        this.policy = policy;
    }

    SequentialBlock buildTop(List<SourceNode> nodes, Shape inputShape) {
        SequentialBlock seq = build(nodes);
        Block first =
                seq.getChildren().isEmpty() ? null : seq.getChildren().get(0).getValue();
        if (!(first instanceof AbstractHgqLayer)) {
            BitGranularity g = inputShape.dimension() > 2 ? BitGranularity.PER_CHANNEL : BitGranularity.PER_ELEMENT;
            SequentialBlock withInput = new SequentialBlock().add(new HQuantize(policy.activationConfig(g)));
            seq.getChildren().values().forEach(withInput::add);
            return withInput;
        }
        return seq;
    }

    private SequentialBlock build(List<SourceNode> nodes) {
        SequentialBlock seq = new SequentialBlock();
        for (int i = 0; i < nodes.size(); i++) {
            SourceNode n = nodes.get(i);
            switch (n.kind()) {
                case LINEAR, CONV1D, CONV2D -> {
                    int j = i + 1;
                    SourceNode bn = null;
                    if (j < nodes.size() && nodes.get(j).kind() == SourceKind.BATCH_NORM) {
                        bn = nodes.get(j++);
                    }
                    boolean relu = j < nodes.size() && nodes.get(j).kind() == SourceKind.RELU;
                    if (relu) {
                        j++;
                    }
                    seq.add(layer(new FloatLayer(n, bn), n.kind(), relu));
                    i = j - 1;
                }
                case BATCH_NORM ->
                    throw new UnsupportedBlockException(
                            n.path(),
                            "BatchNorm does not directly follow a"
                                    + " Linear/Conv1d/Conv2d, so there is no layer to fuse it into");
                case RELU -> seq.add(HActivation.relu());
                case FLATTEN -> seq.add(new QatFlatten());
                case POOL -> seq.add(n.pool());
                case ADD -> seq.add(new QatAdd()); // exact on the finest grid of the branches (HgqExporter aligns them)
                case PARALLEL -> {
                    List<Block> branches = new ArrayList<>();
                    for (List<SourceNode> branch : n.branches()) {
                        branches.add(
                                branch.isEmpty()
                                        ? ai.djl.nn.Blocks.identityBlock()
                                        : build(branch)); // DJL refuses an empty sequence
                    }
                    seq.add(new ParallelBlock(SourceTree.joinOf((ParallelBlock) n.block(), n.path()), branches));
                }
                default -> throw new IllegalStateException(n.kind().name());
            }
        }
        return seq;
    }

    private AbstractHgqLayer layer(FloatLayer f, SourceKind kind, boolean relu) {
        AbstractHgqLayer twin;
        try {
            if (kind == SourceKind.LINEAR) {
                twin = configure(HDense.builder().setUnits(f.outChannels()), f, relu, false)
                        .build();
            } else {
                Convolution c = f.conv();
                if (c.getGroups() != 1) {
                    throw new UnsupportedBlockException(
                            f.path, "grouped convolution (groups = " + c.getGroups() + ") has no HGQ twin");
                }
                if (kind == SourceKind.CONV1D) {
                    HConv1d.Builder b = HConv1d.builder();
                    b.setFilters(c.getFilters())
                            .setKernelShape(c.getKernelShape())
                            .optStride(c.getStride())
                            .optPadding(c.getPadding())
                            .optDilation(c.getDilation());
                    twin = configure(b, f, relu, true).build();
                } else {
                    HConv2d.Builder b = HConv2d.builder();
                    b.setFilters(c.getFilters())
                            .setKernelShape(c.getKernelShape())
                            .optStride(c.getStride())
                            .optPadding(c.getPadding())
                            .optDilation(c.getDilation());
                    twin = configure(b, f, relu, true).build();
                }
            }
        } catch (UnsupportedBlockException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.path + ": " + e.getMessage(), e);
        }
        layers.add(new ConvertedLayer(f.path, f.block, f.batchNorm, twin));
        copies.add(manager -> copy(f, twin, manager));
        return twin;
    }

    private HDense.Builder configure(HDense.Builder b, FloatLayer f, boolean relu, boolean conv) {
        b.optBias(f.hasBias())
                .optActivation(relu ? HActivationType.RELU : HActivationType.IDENTITY)
                .optBeta(policy.getBeta())
                .optInputQuantizer(policy.inputConfig(conv))
                .optKernelQuantizer(policy.weightConfig(true))
                .optBiasQuantizer(policy.weightConfig(false));
        if (f.batchNorm != null) {
            BatchNormSettings bn = BatchNormSettings.read(f.batchNorm, f.path);
            b.optFusedBatchNorm(true).optBatchNormEpsilon(bn.epsilon()).optBatchNormMomentum(bn.momentum());
        }
        return b;
    }

    // Convolutions: the batch norm is folded into W and b here (running statistics), not fused, because
    // the fused training forward of HConv needs a mean over several axes, which this engine refuses.
    private <B extends AbstractHConv.ConvBuilder<B>> B configure(B b, FloatLayer f, boolean relu, boolean conv) {
        b.optBias(f.hasBias() || f.batchNorm != null)
                .optActivation(relu ? HActivationType.RELU : HActivationType.IDENTITY)
                .optBeta(policy.getBeta())
                .optInputQuantizer(policy.inputConfig(conv))
                .optKernelQuantizer(policy.weightConfig(true))
                .optBiasQuantizer(policy.weightConfig(false));
        return b;
    }

    private static void copy(FloatLayer f, AbstractHgqLayer twin, NDManager manager) {
        if (f.batchNorm != null && !twin.isFusedBatchNorm()) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray[] wb = f.folded(sub);
                ParameterValues.set(twin.getWeight(), wb[0], f.path + " weight (batch norm folded)");
                ParameterValues.set(twin.getParameters().get("bias"), wb[1], f.path + " bias (batch norm folded)");
            }
        } else {
            ParameterValues.set(twin.getWeight(), f.weight, f.path + " weight");
            if (f.hasBias()) {
                ParameterValues.set(twin.getParameters().get("bias"), f.bias, f.path + " bias");
            }
        }
        if (f.batchNorm != null && twin.isFusedBatchNorm()) {
            BatchNormSettings bn = BatchNormSettings.read(f.batchNorm, f.path);
            ParameterValues.set(twin.getParameters().get("bn_gamma"), bn.gamma(), f.path + " BatchNorm gamma");
            ParameterValues.set(twin.getParameters().get("bn_beta"), bn.beta(), f.path + " BatchNorm beta");
            ParameterValues.set(
                    twin.getParameters().get("bn_running_mean"), bn.runningMean(), f.path + " BatchNorm running mean");
            ParameterValues.set(
                    twin.getParameters().get("bn_running_var"),
                    bn.runningVar(),
                    f.path + " BatchNorm running variance");
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] wb = f.folded(sub);
            twin.getKernelQuantizer().setInitialValues(() -> wb[0]);
            ParameterValues.rederive(
                    twin.getKernelQuantizer().getFractionalBitsParameter(),
                    manager,
                    f.path + " kernel fractional bits");
            if (twin.getBiasQuantizer() != null && wb[1] != null) {
                twin.getBiasQuantizer().setInitialValues(() -> wb[1]);
                ParameterValues.rederive(
                        twin.getBiasQuantizer().getFractionalBitsParameter(),
                        manager,
                        f.path + " bias fractional bits");
                twin.getBiasQuantizer().setInitialValues(null);
            }
        }
        twin.getKernelQuantizer().setInitialValues(() -> twin.getWeight().getArray());
    }
}
