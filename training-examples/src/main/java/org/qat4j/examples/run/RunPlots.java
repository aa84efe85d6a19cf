package org.qat4j.examples.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.knowm.xchart.XYChart;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.pareto.ParetoPoint;

/**
 * PNG plots of a run, drawn headless with XChart: training curves, accuracy against EBOPs with the
 * Pareto front (HGQ, arXiv 2405.00645 §5), per-layer bit-width histograms, and accumulator bits
 * needed per layer against the declared width P (A2Q, arXiv 2308.13504 §3). Each file is written
 * atomically; a plot without data is skipped. One class per kind of plot ({@code TrainingCurvePlot},
 * {@code ParetoPlots}, {@code BitPlots}) on one canvas ({@code PlotCanvas}); this class names the files and
 * is the entry point.
 */
public final class RunPlots {

    /** File name of the training curves. */
    public static final String TRAINING_CURVES = "training-curves.png";
    /** File name of the accuracy–EBOPs plot. */
    public static final String ACCURACY_VS_EBOPS = "accuracy-vs-ebops.png";
    /** File name of the bit-width histograms. */
    public static final String BIT_WIDTHS = "bit-widths.png";
    /** File name of the accumulator plot. */
    public static final String ACCUMULATOR_BITS = "accumulator-bits.png";

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private RunPlots() {}

    /**
     * Writes every plot that has data into {@code directory} (a run's {@code plots/}); every title names the
     * recipe and the run directory. Returns the files written.
     */
    public static List<Path> writeAll(RunMetrics metrics, Path directory) throws IOException {
        String name = titleOf(metrics, directory);
        List<Path> written = new ArrayList<>();
        if (!metrics.getHistory().isEmpty()) {
            written.add(trainingCurves(name, metrics.getHistory(), directory.resolve(TRAINING_CURVES)));
        }
        List<ParetoPoint> points = new ArrayList<>(metrics.getParetoPoints());
        if (points.isEmpty()) {
            for (EpochRecord r : metrics.getHistory()) {
                Double ebops = r.extra().get("ebops");
                if (ebops != null && !Double.isNaN(r.validationAccuracy())) {
                    points.add(new ParetoPoint("epoch " + r.epoch(), r.validationAccuracy(), ebops));
                }
            }
        }
        if (!points.isEmpty()) {
            written.add(accuracyVsEbops(name, points, directory.resolve(ACCURACY_VS_EBOPS)));
        }
        if (metrics.getLayers().stream().anyMatch(l -> l.weightBits() != null || l.activationBits() != null)) {
            written.add(bitWidthHistograms(name, metrics.getLayers(), directory.resolve(BIT_WIDTHS)));
        }
        if (metrics.getLayers().stream().anyMatch(l -> l.accumulatorBitsNeeded() != null)) {
            written.add(accumulatorBits(name, metrics.getLayers(), directory.resolve(ACCUMULATOR_BITS)));
        }
        return written;
    }

    /** "RECIPE, run RUN_DIR" for the plots folder {@code RUN_DIR/plots}. */
    static String titleOf(RunMetrics metrics, Path plotsDirectory) {
        Path run = plotsDirectory.toAbsolutePath().normalize().getParent();
        return metrics.getRecipe() + (run == null || run.getFileName() == null ? "" : ", run " + run.getFileName());
    }

    /**
     * Two charts, one above the other: the task loss (left axis) with train and test accuracy (right axis),
     * and below it the regularizer (the loss terms, e.g. HGQ's β·EBOPs, which rise while β ramps up) with
     * EBOPs when measured. Apart, so a growing regularizer never looks like a diverging task loss.
     */
    public static Path trainingCurves(String title, List<EpochRecord> history, Path png) throws IOException {
        return PlotCanvas.save(png, trainingCharts(title, history).toArray(new XYChart[0]));
    }

    /** The two charts of {@link #trainingCurves}. */
    static List<XYChart> trainingCharts(String title, List<EpochRecord> history) {
        return TrainingCurvePlot.trainingCharts(title, history);
    }

    /** The label of an epoch-axis tick: the whole number, or nothing between whole numbers. */
    static String epochTick(double x) {
        return TrainingCurvePlot.epochTick(x);
    }

    /** All points as a scatter and the Pareto front as a step line; EBOPs on a log axis when they span a decade. */
    public static Path accuracyVsEbops(String title, List<ParetoPoint> points, Path png) throws IOException {
        return ParetoPlots.accuracyVsEbops(title, points, png);
    }

    /**
     * Trained models (e.g. HGQ at several β) with their Pareto front against baseline models (e.g. uniform
     * fixed-point), accuracy over exact EBOPs on a log axis, each point labelled.
     */
    public static Path frontVsBaselines(String title, List<ParetoPoint> trained, List<ParetoPoint> baselines, Path png)
            throws IOException {
        return ParetoPlots.frontVsBaselines(title, trained, baselines, png);
    }

    /** Bars of the share of elements per bit width, one series per layer and tensor (weights, activations). */
    public static Path bitWidthHistograms(String title, List<LayerStats> layers, Path png) throws IOException {
        return BitPlots.bitWidthHistograms(title, layers, png);
    }

    /** Per layer: bits its worst-case accumulator needs next to the declared P. */
    public static Path accumulatorBits(String title, List<LayerStats> layers, Path png) throws IOException {
        return BitPlots.accumulatorBits(title, layers, png);
    }

    /**
     * Test accuracy against the accumulator width P, one line per method (e.g. A2Q and A2Q+, arXiv
     * 2401.10432 Fig. 3): {@code byMethod} maps a method's name to P → accuracy.
     */
    public static Path accuracyVsAccumulatorBits(
            String title, Map<String, SortedMap<Integer, Double>> byMethod, Path png) throws IOException {
        return BitPlots.accuracyVsAccumulatorBits(title, byMethod, png);
    }
}
