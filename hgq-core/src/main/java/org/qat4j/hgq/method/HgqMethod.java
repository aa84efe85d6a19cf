package org.qat4j.hgq.method;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.dataset.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.qat4j.core.method.BitStatistics;
import org.qat4j.core.method.LayerBits;
import org.qat4j.core.method.QatMethod;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.schedule.BetaScheduleHook;
import org.qat4j.core.train.schedule.PiecewiseBetaSchedule;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.ebops.EbopsReport;
import org.qat4j.hgq.ebops.LayerEbops;
import org.qat4j.hgq.export.HgqExporter;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HgqLayer;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.IntegerModel;

/**
 * HGQ (arXiv 2405.00645) as a {@link QatMethod}: β ramped log-linearly from β/{@value #BETA_RANGE} in
 * the first epoch to the final β in the last (§4.4), exact EBOPs recorded after every epoch (§4.3), the
 * min/max calibration pass before export (§4.2), per-weight and per-input bit statistics. Without a β
 * ramp (the fixed-format baseline) the layers keep their own β.
 *
 * <pre>{@code
 * QatMethod hgq = HgqMethod.builder().optBetaRamp(1e-7).build();
 * }</pre>
 */
public final class HgqMethod implements QatMethod {

    /** Ratio of the last epoch's β to the first's. */
    public static final double BETA_RANGE = 100;

    private final Double finalBeta;

    private HgqMethod(Builder b) {
        this.finalBeta = b.finalBeta;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "HGQ";
    }

    @Override
    public List<EpochHook> epochHooks(Block block, int epochs) {
        if (finalBeta == null) {
            return List.of();
        }
        int last = Math.max(1, epochs - 1);
        double first = epochs > 1 ? finalBeta / BETA_RANGE : finalBeta;
        return List.of(new BetaScheduleHook(
                PiecewiseBetaSchedule.logRamp(0, first, last, finalBeta), BlockTrees.find(block, HgqLayer.class)));
    }

    @Override
    public Map<String, Double> epochMetrics(Block block) {
        return Map.of("ebops", (double) EbopsReport.of(block).total());
    }

    @Override
    public void prepareExport(Block block, NDManager manager, Dataset calibration) {
        HgqCalibration.traceMinMax(block, manager, calibration);
    }

    @Override
    public IntegerModel export(Block block, Shape sampleShape, String recipe, long seed, Map<String, String> settings) {
        if (!(block instanceof SequentialBlock net)) {
            throw new IllegalArgumentException("HGQ export takes a SequentialBlock, got "
                    + block.getClass().getSimpleName());
        }
        return HgqExporter.export(net, sampleShape, recipe, seed, settings);
    }

    @Override
    public OptionalLong exactEbops(Block block) {
        return OptionalLong.of(EbopsReport.of(block).total());
    }

    @Override
    public List<LayerBits> layerBits(Block block) {
        List<HgqLayer> layers = BlockTrees.find(block, HgqLayer.class);
        List<LayerEbops> ebops = EbopsReport.of(block).layers();
        List<LayerBits> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            if (!(layers.get(l) instanceof AbstractHgqLayer layer)) {
                continue;
            }
            QuantizedConstant kernel = layer.quantizedKernel();
            int[] weightWidths = new int[kernel.size()];
            for (int j = 0; j < weightWidths.length; j++) {
                weightWidths[j] = kernel.significantBits(j);
            }
            FixedFormat[] in = layer.inputFormats().formats();
            int[] inputWidths = new int[in.length];
            for (int j = 0; j < in.length; j++) {
                inputWidths[j] = Math.max(0, in[j].width());
            }
            String name = l < ebops.size() ? ebops.get(l).name() : "layer" + l;
            String kind = kernel.shape().length == 2 ? "dense" : "conv" + (kernel.shape().length - 2) + "d";
            out.add(new LayerBits(name, kind, BitStatistics.of(weightWidths), BitStatistics.of(inputWidths)));
        }
        return out;
    }

    /** Builder: {@code optBetaRamp} (no ramp by default). */
    public static final class Builder {
        private Double finalBeta;

        private Builder() {}

        /** Ramps every layer's β from {@code finalBeta}/{@value #BETA_RANGE} in the first epoch to {@code finalBeta} in the last. */
        public Builder optBetaRamp(double finalBeta) {
            if (!(finalBeta >= 0) || Double.isInfinite(finalBeta)) {
                throw new IllegalArgumentException("beta must be finite and >= 0, got " + finalBeta);
            }
            this.finalBeta = finalBeta;
            return this;
        }

        /** Builds the method. */
        public HgqMethod build() {
            return new HgqMethod(this);
        }
    }
}
