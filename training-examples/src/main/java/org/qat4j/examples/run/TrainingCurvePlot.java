package org.qat4j.examples.run;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.qat4j.core.train.checkpoint.EpochRecord;

/** Training curves of a run (see {@link RunPlots#trainingCurves}): task loss and accuracy, the regularizer and EBOPs. */
final class TrainingCurvePlot {

    private TrainingCurvePlot() {}

    /** The two charts of {@link RunPlots#trainingCurves}. */
    static List<XYChart> trainingCharts(String title, List<EpochRecord> history) {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart task = new XYChartBuilder()
                .width(PlotCanvas.WIDTH)
                .height(PlotCanvas.HEIGHT)
                .title(title + ": task loss and accuracy")
                .xAxisTitle("epoch")
                .yAxisTitle("task loss (cross-entropy)")
                .build();
        PlotCanvas.style(task.getStyler());
        task.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        task.setYAxisGroupTitle(1, "accuracy");
        task.addSeries(
                        "task loss",
                        epochs,
                        history.stream()
                                .mapToDouble(TrainingCurvePlot::taskLoss)
                                .toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        addIfMeasured(
                task,
                "train accuracy",
                epochs,
                history.stream().mapToDouble(EpochRecord::trainAccuracy).toArray());
        addIfMeasured(
                task,
                "test accuracy",
                epochs,
                history.stream().mapToDouble(EpochRecord::validationAccuracy).toArray());
        XYChart regularizer = new XYChartBuilder()
                .width(PlotCanvas.WIDTH)
                .height(PlotCanvas.HEIGHT * 3 / 4)
                .title(title + ": regularizer")
                .xAxisTitle("epoch")
                .yAxisTitle("regularizer (loss terms)")
                .build();
        PlotCanvas.style(regularizer.getStyler());
        regularizer
                .addSeries(
                        "regularizer",
                        epochs,
                        history.stream()
                                .mapToDouble(TrainingCurvePlot::lossTerms)
                                .toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        if (history.stream().anyMatch(r -> r.extra().containsKey("ebops"))) {
            regularizer.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            regularizer.setYAxisGroupTitle(1, "EBOPs");
            addIfMeasured(
                    regularizer,
                    "EBOPs",
                    epochs,
                    history.stream()
                            .mapToDouble(r -> r.extra().getOrDefault("ebops", Double.NaN))
                            .toArray());
        }
        epochAxis(task, epochs);
        epochAxis(regularizer, epochs);
        readableValues(task);
        readableValues(regularizer);
        boolean regularized =
                history.stream().anyMatch(r -> lossTerms(r) != 0 || r.extra().containsKey("ebops"));
        return regularized ? List.of(task, regularizer) : List.of(task);
    }

    private static double taskLoss(EpochRecord r) {
        Double task = r.extra().get("taskLoss");
        return task != null ? task : r.trainLoss();
    }

    private static double lossTerms(EpochRecord r) {
        Double terms = r.extra().get("lossTerms");
        return terms != null ? terms : r.trainLoss() - taskLoss(r);
    }

    /** Epochs are whole numbers: ticks labelled only there, half an epoch of room at either end. */
    private static void epochAxis(XYChart chart, double[] epochs) {
        double first = epochs.length == 0 ? 1 : epochs[0];
        double last = epochs.length == 0 ? 1 : epochs[epochs.length - 1];
        chart.getStyler().setXAxisMin(first - 0.5);
        chart.getStyler().setXAxisMax(last + 0.5);
        // about one tick per epoch, so XChart's "nice" tick step is a whole epoch; short labels regardless
        chart.getStyler().setXAxisTickMarkSpacingHint(epochs.length <= 1 ? 100 : Math.max(40, 560 / epochs.length));
        chart.getStyler().setXAxisDecimalPattern("0.#");
        if (epochs.length == 1 && !chart.getSeriesMap().isEmpty()) {
            // XChart draws no x scale for a single x value, whatever the axis limits: an invisible series
            // spans the half epochs at the first series' value
            double y = chart.getSeriesMap().values().iterator().next().getYData()[0];
            XYSeries span = chart.addSeries(" ", new double[] {first - 0.5, last + 0.5}, new double[] {y, y});
            span.setShowInLegend(false);
            span.setMarker(SeriesMarkers.NONE);
            span.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        }
    }

    /**
     * Plain decimals on both value axes, and a range around a constant series (one epoch): XChart would
     * otherwise label a single value with all its digits and draw no scale.
     */
    private static void readableValues(XYChart chart) {
        for (int group = 0; group <= 1; group++) {
            chart.getStyler().putYAxisGroupDecimalPatternMap(group, "#,##0.####");
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (XYSeries series : chart.getSeriesMap().values()) {
                if (series.getYAxisGroup() != group) {
                    continue;
                }
                for (double y : series.getYData()) {
                    if (Double.isFinite(y)) {
                        lo = Math.min(lo, y);
                        hi = Math.max(hi, y);
                    }
                }
            }
            if (lo <= hi && hi - lo <= Math.abs(hi) * 1e-9) {
                double pad = Math.max(Math.abs(hi) * 0.1, 1e-3);
                chart.getStyler().setYAxisMin(group, lo - pad);
                chart.getStyler().setYAxisMax(group, hi + pad);
            }
        }
    }

    /** The label of an epoch-axis tick: the whole number, or nothing between whole numbers. */
    static String epochTick(double x) {
        return Math.abs(x - Math.rint(x)) < 1e-9 ? Long.toString(Math.round(x)) : "";
    }

    private static void addIfMeasured(XYChart chart, String name, double[] x, double[] y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (!Double.isNaN(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (!xs.isEmpty()) {
            XYSeries s = chart.addSeries(name, xs, ys);
            s.setYAxisGroup(1);
        }
    }
}
