package org.qat4j.hgq.export;

import java.util.Arrays;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.core.nn.QatPool;
import org.qat4j.runtime.model.PoolOp;

/**
 * {@code QatPool} on fixed-point values (HGQ, arXiv 2405.00645 §6): {@code maxpool} compares the
 * mantissas of one grid per channel (the fraction is unchanged); {@code avgpool} sums a window of 2^n
 * elements, whose fraction grows by n, so the mean is exact.
 */
final class HgqPoolStep {
    private HgqPoolStep() {}

    static ExportTensor<int[]> export(ExportStep<int[]> step, QatPool pool, ExportTensor<int[]> cur) {
        String at = step.at();
        for (long pad : pool.getPadding().getShape()) {
            if (pad != 0) {
                throw new IllegalArgumentException("block " + at + " (QatPool) pads by " + pool.getPadding()
                        + "; the integer format" + " pools without padding");
            }
        }
        int[] frac = cur.state();
        if (frac == null) {
            throw new IllegalArgumentException("block " + at + " (QatPool) pools float values; quantize first");
        }
        int channels = cur.shape()[0];
        int per = frac.length / channels;
        for (int e = 0; e < frac.length; e++) {
            if (frac[e] != frac[(e / per) * per]) {
                throw new IllegalArgumentException("block " + at + " (QatPool): channel " + (e / per)
                        + " holds more than one fraction;" + " pooling compares and sums on one grid per channel");
            }
        }
        boolean max = pool.getPoolKind() == PoolOp.Kind.MAX;
        PoolOp op = new PoolOp(
                step.name("_pool"),
                cur.name(),
                pool.getPoolKind(),
                HgqLayerStep.ints(pool.getWindow()),
                HgqLayerStep.ints(pool.getStride()),
                64);
        step.add(op);
        int grow = max ? 0 : Integer.numberOfTrailingZeros(op.windowSize());
        int[] shape = step.shapeOf(op.name());
        int outPer = Arrays.stream(shape).reduce(1, (x, y) -> x * y) / channels;
        int[] outFrac = new int[channels * outPer];
        for (int e = 0; e < outFrac.length; e++) {
            outFrac[e] = frac[(e / outPer) * per] + grow;
        }
        return new ExportTensor<>(op.name(), shape, outFrac);
    }
}
