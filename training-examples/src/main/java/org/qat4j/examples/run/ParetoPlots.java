package org.qat4j.examples.run;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.qat4j.core.train.pareto.ParetoFront;
import org.qat4j.core.train.pareto.ParetoPoint;

/** Accuracy against exact EBOPs with the Pareto front (HGQ, arXiv 2405.00645 §5), for one run or a sweep. */
final class ParetoPlots {

    private ParetoPlots() {}

    /** All points as a scatter and the Pareto front as a step line; EBOPs on a log axis when they span a decade. */
    static Path accuracyVsEbops(String title, List<ParetoPoint> points, Path png) throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(PlotCanvas.WIDTH)
                .height(PlotCanvas.HEIGHT)
                .title(title + ": accuracy vs EBOPs")
                .xAxisTitle("EBOPs (exact)")
                .yAxisTitle("test accuracy")
                .build();
        PlotCanvas.style(chart.getStyler());
        double min = points.stream().mapToDouble(ParetoPoint::ebops).min().orElse(1);
        double max = points.stream().mapToDouble(ParetoPoint::ebops).max().orElse(1);
        chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 10);
        XYSeries all = chart.addSeries(
                "models",
                points.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                points.stream().mapToDouble(ParetoPoint::accuracy).toArray());
        all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        all.setMarker(SeriesMarkers.CIRCLE);
        List<ParetoPoint> front = ParetoFront.of(points);
        XYSeries line = chart.addSeries(
                "Pareto front",
                front.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                front.stream().mapToDouble(ParetoPoint::accuracy).toArray());
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        line.setMarker(SeriesMarkers.DIAMOND);
        line.setLineColor(new Color(200, 40, 40));
        labelPoints(chart, points);
        return PlotCanvas.save(png, chart);
    }

    /** Each point's label ("epoch 3", "exported") just above its marker, the axes padded to hold them. */
    private static void labelPoints(XYChart chart, List<ParetoPoint> points) {
        double lo = points.stream().mapToDouble(ParetoPoint::accuracy).min().orElse(0);
        double hi = points.stream().mapToDouble(ParetoPoint::accuracy).max().orElse(1);
        double pad = Math.max(hi - lo, 1e-3) * 0.08;
        chart.getStyler().setYAxisMin(lo - pad);
        chart.getStyler().setYAxisMax(hi + 2 * pad);
        double minEbops = points.stream().mapToDouble(ParetoPoint::ebops).min().orElse(1);
        double maxEbops = points.stream().mapToDouble(ParetoPoint::ebops).max().orElse(1);
        if (chart.getStyler().isXAxisLogarithmic()) {
            chart.getStyler().setXAxisMin(minEbops / 1.4);
            chart.getStyler().setXAxisMax(maxEbops * 1.4);
        } else {
            double span = Math.max(maxEbops - minEbops, Math.max(1, maxEbops * 0.05));
            chart.getStyler().setXAxisMin(Math.max(0, minEbops - span * 0.1));
            chart.getStyler().setXAxisMax(maxEbops + span * 0.1);
        }
        // a label above its marker, or below it when another label already sits there (e.g. the last
        // epoch and the exported model at nearly the same point)
        boolean log = chart.getStyler().isXAxisLogarithmic();
        double axisMin = chart.getStyler().getXAxisMin();
        double axisMax = chart.getStyler().getXAxisMax();
        double xSpan = log ? Math.log(axisMax) - Math.log(axisMin) : axisMax - axisMin;
        List<double[]> placed = new ArrayList<>();
        double[] offsets = {0.6, -0.9, 1.5, -1.8, 2.4};
        for (ParetoPoint p : points) {
            double x = log ? Math.log(p.ebops()) : p.ebops();
            double y = p.accuracy() + pad * offsets[0];
            for (double offset : offsets) {
                y = p.accuracy() + pad * offset;
                boolean free = true;
                for (double[] other : placed) {
                    // a label is about a tenth of the plot wide and a third of pad high
                    free &= Math.abs(other[0] - x) >= xSpan * 0.12 || Math.abs(other[1] - y) >= pad * 0.45;
                }
                if (free) {
                    break;
                }
            }
            placed.add(new double[] {x, y});
            chart.addAnnotation(new AnnotationText(p.label(), p.ebops(), y, false));
        }
    }

    /**
     * Trained models (e.g. HGQ at several β) with their Pareto front against baseline models (e.g. uniform
     * fixed-point), accuracy over exact EBOPs on a log axis, each point labelled in the legend's series name.
     */
    static Path frontVsBaselines(String title, List<ParetoPoint> trained, List<ParetoPoint> baselines, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(PlotCanvas.WIDTH)
                .height(PlotCanvas.HEIGHT)
                .title(title)
                .xAxisTitle("EBOPs (exact, log scale)")
                .yAxisTitle("test accuracy (integer model)")
                .build();
        PlotCanvas.style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        if (!trained.isEmpty()) {
            List<ParetoPoint> front = ParetoFront.of(trained);
            XYSeries line = chart.addSeries(
                    "Pareto front",
                    front.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                    front.stream().mapToDouble(ParetoPoint::accuracy).toArray());
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(new Color(200, 40, 40));
            XYSeries points = chart.addSeries(
                    "HGQ",
                    trained.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                    trained.stream().mapToDouble(ParetoPoint::accuracy).toArray());
            points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(new Color(200, 40, 40));
        }
        if (!baselines.isEmpty()) {
            XYSeries base = chart.addSeries(
                    "uniform fixed point",
                    baselines.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                    baselines.stream().mapToDouble(ParetoPoint::accuracy).toArray());
            base.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            base.setMarker(SeriesMarkers.SQUARE);
            base.setMarkerColor(new Color(60, 110, 190));
        }
        List<ParetoPoint> all = new ArrayList<>(trained);
        all.addAll(baselines);
        double lo = all.stream().mapToDouble(ParetoPoint::accuracy).min().orElse(0);
        double hi = all.stream().mapToDouble(ParetoPoint::accuracy).max().orElse(1);
        double pad = Math.max(hi - lo, 1e-3) * 0.08;
        chart.getStyler().setYAxisMin(lo - pad);
        chart.getStyler().setYAxisMax(hi + 2 * pad);
        double minEbops = all.stream().mapToDouble(ParetoPoint::ebops).min().orElse(1);
        double maxEbops = all.stream().mapToDouble(ParetoPoint::ebops).max().orElse(1);
        chart.getStyler().setXAxisMin(minEbops / 1.4);
        chart.getStyler().setXAxisMax(maxEbops * 1.4);
        for (ParetoPoint p : all) {
            // the label sits just above its marker
            chart.addAnnotation(new AnnotationText(p.label(), p.ebops(), p.accuracy() + pad * 0.6, false));
        }
        return PlotCanvas.save(png, chart);
    }
}
