package org.qat4j.hgq.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.hgq.quant.BitGranularity;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.hgq.quant.IntegerBitsMode;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/** Small models using every block, for save/load, leak and exactness tests. Input (batch, 1, 8, 8). */
final class HgqModelsFixture {

    private HgqModelsFixture() {}

    static SequentialBlock cnn() {
        return cnn(true);
    }

    static SequentialBlock cnn(boolean trainableIntegerBits) {
        return new SequentialBlock()
                .add(new HQuantize(HgqQuantizerConfig.activations()
                        .optGranularity(BitGranularity.PER_TENSOR)
                        .optInitialFractionalBits(5)
                        .build()))
                .add(HConv2d.builder()
                        .setFilters(3)
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optStride(new Shape(1, 1))
                        .optDilation(new Shape(1, 1))
                        .optFusedBatchNorm(true)
                        .optActivation(HActivationType.RELU)
                        .optBeta(1e-6)
                        .build())
                .add(QatPool.max(new Shape(2, 2)))
                .add(HConv2d.builder()
                        .setFilters(4)
                        .setKernelShape(new Shape(2, 2))
                        .optStride(new Shape(2, 1))
                        .optDilation(new Shape(1, 2))
                        .optBias(true)
                        .optInputQuantizer(HgqQuantizerConfig.activations()
                                .optGranularity(BitGranularity.PER_TENSOR)
                                .optIntegerBits(
                                        trainableIntegerBits ? IntegerBitsMode.TRAINABLE : IntegerBitsMode.FROM_DATA)
                                .optOverflow(trainableIntegerBits ? OverflowMode.SAT_SYM : OverflowMode.WRAP)
                                .optRounding(RoundingMode.RND_CONV)
                                .build())
                        .build())
                .add(new HActivation(
                        HActivationType.RELU,
                        HgqQuantizerConfig.activations()
                                .optGranularity(BitGranularity.PER_CHANNEL)
                                .build()))
                .add(QatPool.avg(new Shape(1, 2)))
                .add(new QatFlatten())
                .add(HDense.builder()
                        .setUnits(6)
                        .optFusedBatchNorm(true)
                        .optActivation(HActivationType.RELU)
                        .optBeta(2e-6)
                        .build())
                .add(HDense.builder()
                        .setUnits(3)
                        .optKernelQuantizer(HgqQuantizerConfig.weights()
                                .optGranularity(BitGranularity.PER_CHANNEL)
                                .optInitialSignificantBits(6)
                                .build())
                        .build());
    }
}
