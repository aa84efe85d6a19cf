package org.qat4j.examples.run;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.qat4j.core.method.BitStatistics;

/**
 * Bit widths per layer and accumulator bits needed against the declared P (A2Q, arXiv 2308.13504 §3), and
 * accuracy against P per method (A2Q+, arXiv 2401.10432 Fig. 3).
 */
final class BitPlots {

    private BitPlots() {}

    /** Bars of the share of elements per bit width, one series per layer and tensor (weights, activations). */
    static Path bitWidthHistograms(String title, List<LayerStats> layers, Path png) throws IOException {
        TreeSet<Integer> widths = new TreeSet<>();
        for (LayerStats l : layers) {
            if (l.weightBits() != null) {
                widths.addAll(l.weightBits().histogram().keySet());
            }
            if (l.activationBits() != null) {
                widths.addAll(l.activationBits().histogram().keySet());
            }
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(PlotCanvas.WIDTH)
                .height(PlotCanvas.HEIGHT)
                .title(title + ": bit widths per layer")
                .xAxisTitle("bits")
                .yAxisTitle("share of the tensor's elements")
                .build();
        PlotCanvas.style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0);
        List<String> categories = widths.stream().map(String::valueOf).toList();
        for (LayerStats l : layers) {
            addHistogram(chart, l.name() + " weights", l.weightBits(), widths, categories);
            addHistogram(chart, l.name() + " activations", l.activationBits(), widths, categories);
        }
        return PlotCanvas.save(png, chart);
    }

    private static void addHistogram(
            CategoryChart chart, String name, BitStatistics stats, TreeSet<Integer> widths, List<String> categories) {
        if (stats == null) {
            return;
        }
        List<Number> counts = new ArrayList<>();
        for (int w : widths) {
            // Shares, not counts: a 100k-weight layer and a 64-activation tensor fit one axis.
            Long c = stats.histogram().get(w);
            counts.add(c == null ? 0.0 : c.doubleValue() / stats.count());
        }
        chart.addSeries(name, categories, counts);
    }

    /** Per layer: bits its worst-case accumulator needs next to the declared P. */
    static Path accumulatorBits(String title, List<LayerStats> layers, Path png) throws IOException {
        List<String> names = new ArrayList<>();
        List<Number> needed = new ArrayList<>();
        List<Number> declared = new ArrayList<>();
        boolean anyDeclared = false;
        for (LayerStats l : layers) {
            if (l.accumulatorBitsNeeded() == null) {
                continue;
            }
            names.add(l.name());
            needed.add(l.accumulatorBitsNeeded());
            declared.add(l.accumulatorBitsDeclared() == null ? Double.NaN : l.accumulatorBitsDeclared());
            anyDeclared |= l.accumulatorBitsDeclared() != null;
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(PlotCanvas.WIDTH)
                .height(PlotCanvas.HEIGHT)
                .title(title + ": accumulator bits, needed (worst case) vs declared P")
                .xAxisTitle("layer")
                .yAxisTitle("bits")
                .build();
        PlotCanvas.style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("needed", names, needed).setFillColor(new Color(60, 110, 190));
        if (anyDeclared) {
            chart.addSeries("declared P", names, declared).setFillColor(new Color(220, 140, 40));
        }
        return PlotCanvas.save(png, chart);
    }

    /**
     * Test accuracy against the accumulator width P, one line per method (e.g. A2Q and A2Q+, arXiv
     * 2401.10432 Fig. 3): {@code byMethod} maps a method's name to P → accuracy.
     */
    static Path accuracyVsAccumulatorBits(String title, Map<String, SortedMap<Integer, Double>> byMethod, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(PlotCanvas.WIDTH)
                .height(PlotCanvas.HEIGHT)
                .title(title)
                .xAxisTitle("accumulator bits P")
                .yAxisTitle("test accuracy")
                .build();
        PlotCanvas.style(chart.getStyler());
        for (Map.Entry<String, SortedMap<Integer, Double>> method : byMethod.entrySet()) {
            if (method.getValue().isEmpty()) {
                continue;
            }
            double[] p = method.getValue().keySet().stream()
                    .mapToDouble(Integer::doubleValue)
                    .toArray();
            double[] acc = method.getValue().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray();
            chart.addSeries(method.getKey(), p, acc).setMarker(SeriesMarkers.CIRCLE);
        }
        return PlotCanvas.save(png, chart);
    }
}
