package org.qat4j.examples.recipe;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.dataset.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.schedule.BetaScheduleHook;
import org.qat4j.core.train.schedule.PiecewiseBetaSchedule;
import org.qat4j.examples.run.BitStatistics;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.ebops.EbopsReport;
import org.qat4j.hgq.export.HgqExporter;
import org.qat4j.hgq.ebops.LayerEbops;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.nn.HgqLayer;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.IntegerModel;

/**
 * What every HGQ recipe (arXiv 2405.00645) does the same way: β ramped log-linearly from β/100 in
 * the first epoch to the final β in the last (§4.4),
 * exact EBOPs recorded after every epoch, the min/max calibration pass over the training set before
 * export, per-weight and per-input bit statistics. With {@code --uniform-bits B} the same network is
 * built with fixed B-bit formats ({@link UniformBits}) and trained with β = 0: the baseline HGQ is
 * compared against.
 */
abstract class HgqPlan implements RecipePlan {

    /** Ratio of the last epoch's β to the first's. */
    static final double BETA_RANGE = 100;

    private final RecipeSettings settings;
    private final double beta;
    private final UniformBits uniform;

    HgqPlan(RecipeSettings settings, double defaultBeta) {
        settings.refuse("--variant", settings.variant());
        settings.refuse("--acc-bits", settings.accumulatorBits());
        settings.refuse("--init-from", settings.initFrom());
        this.settings = settings;
        if (settings.uniformBits() != null) {
            if (settings.beta() != null) {
                throw new IllegalArgumentException("--beta " + settings.beta() + " cannot be combined with --uniform-bits "
                        + settings.uniformBits() + ": the uniform baseline trains no bits (beta = 0)");
            }
            this.uniform = new UniformBits(settings.uniformBits());
            this.beta = 0;
        } else {
            this.uniform = null;
            this.beta = settings.beta() == null ? defaultBeta : settings.beta();
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("--beta must be finite and >= 0, got " + beta);
        }
    }

    /** A dense layer with {@code fanIn} inputs: as given, or with the uniform baseline's formats. */
    HDense.Builder quantized(HDense.Builder layer, UniformBits.Input input, long fanIn) {
        return uniform == null ? layer : uniform.apply(layer, input, fanIn);
    }

    /** A 2-D convolution with {@code fanIn} = C_in·k_h·k_w: as given, or with the uniform baseline's formats. */
    HConv2d.Builder quantized(HConv2d.Builder layer, UniformBits.Input input, long fanIn) {
        return uniform == null ? layer : uniform.apply(layer, input, fanIn);
    }

    @Override
    public RecipeSettings settings() {
        return settings;
    }

    @Override
    public List<EpochHook> epochHooks(Block block) {
        if (uniform != null) {
            return List.of(); // β stays at the layers' default 0
        }
        int last = Math.max(1, settings.epochs() - 1);
        double first = settings.epochs() > 1 ? beta / BETA_RANGE : beta;
        return List.of(new BetaScheduleHook(PiecewiseBetaSchedule.logRamp(0, first, last, beta),
                BlockTrees.find(block, HgqLayer.class)));
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
    public IntegerModel export(Block block) {
        return HgqExporter.export((SequentialBlock) block, sampleShape(), settings.recipe(), settings.seed(), Map.of());
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
}
