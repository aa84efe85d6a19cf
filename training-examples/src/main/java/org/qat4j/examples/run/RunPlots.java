package org.qat4j.examples.run;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * PNG plots of a run, drawn headless with XChart: training curves, accuracy against EBOPs with the
 * Pareto front (HGQ, arXiv 2405.00645 §5), per-layer bit-width histograms, and accumulator bits
 * needed per layer against the declared width P (A2Q, arXiv 2308.13504 §3). Each file is written
 * atomically; a plot without data is skipped.
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

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private RunPlots() {}

    /** Writes every plot that has data into {@code directory}; returns the files written. */
    public static List<Path> writeAll(RunMetrics metrics, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        if (!metrics.getHistory().isEmpty()) {
            written.add(trainingCurves(metrics.getRecipe(), metrics.getHistory(), directory.resolve(TRAINING_CURVES)));
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
            written.add(accuracyVsEbops(metrics.getRecipe(), points, directory.resolve(ACCURACY_VS_EBOPS)));
        }
        if (metrics.getLayers().stream().anyMatch(l -> l.weightBits() != null || l.activationBits() != null)) {
            written.add(bitWidthHistograms(metrics.getLayers(), directory.resolve(BIT_WIDTHS)));
        }
        if (metrics.getLayers().stream().anyMatch(l -> l.accumulatorBitsNeeded() != null)) {
            written.add(accumulatorBits(metrics.getLayers(), directory.resolve(ACCUMULATOR_BITS)));
        }
        return written;
    }

    /** Training loss (left axis) and train/validation accuracy (right axis) per epoch. */
    public static Path trainingCurves(String title, List<EpochRecord> history, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": training")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "accuracy");
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        chart.addSeries("train loss", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        addIfMeasured(chart, "train accuracy", epochs, history.stream().mapToDouble(EpochRecord::trainAccuracy).toArray());
        addIfMeasured(chart, "validation accuracy", epochs,
                history.stream().mapToDouble(EpochRecord::validationAccuracy).toArray());
        return save(chart, png);
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

    /** All points as a scatter and the Pareto front as a step line; EBOPs on a log axis when they span a decade. */
    public static Path accuracyVsEbops(String title, List<ParetoPoint> points, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": accuracy vs EBOPs")
                .xAxisTitle("EBOPs (exact)").yAxisTitle("test accuracy").build();
        style(chart.getStyler());
        double min = points.stream().mapToDouble(ParetoPoint::ebops).min().orElse(1);
        double max = points.stream().mapToDouble(ParetoPoint::ebops).max().orElse(1);
        chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 10);
        XYSeries all = chart.addSeries("models", points.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                points.stream().mapToDouble(ParetoPoint::accuracy).toArray());
        all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        all.setMarker(SeriesMarkers.CIRCLE);
        List<ParetoPoint> front = ParetoFront.of(points);
        XYSeries line = chart.addSeries("Pareto front", front.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                front.stream().mapToDouble(ParetoPoint::accuracy).toArray());
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        line.setMarker(SeriesMarkers.DIAMOND);
        line.setLineColor(new Color(200, 40, 40));
        return save(chart, png);
    }

    /**
     * Trained models (e.g. HGQ at several β) with their Pareto front against baseline models (e.g. uniform
     * fixed-point), accuracy over exact EBOPs on a log axis, each point labelled in the legend's series name.
     */
    public static Path frontVsBaselines(String title, List<ParetoPoint> trained, List<ParetoPoint> baselines,
            Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("EBOPs (exact, log scale)").yAxisTitle("test accuracy (integer model)").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        if (!trained.isEmpty()) {
            List<ParetoPoint> front = ParetoFront.of(trained);
            XYSeries line = chart.addSeries("Pareto front", front.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                    front.stream().mapToDouble(ParetoPoint::accuracy).toArray());
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(new Color(200, 40, 40));
            XYSeries points = chart.addSeries("HGQ", trained.stream().mapToDouble(ParetoPoint::ebops).toArray(),
                    trained.stream().mapToDouble(ParetoPoint::accuracy).toArray());
            points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(new Color(200, 40, 40));
        }
        if (!baselines.isEmpty()) {
            XYSeries base = chart.addSeries("uniform fixed point",
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
        return save(chart, png);
    }

    /** Bars of the share of elements per bit width, one series per layer and tensor (weights, activations). */
    public static Path bitWidthHistograms(List<LayerStats> layers, Path png) throws IOException {
        TreeSet<Integer> widths = new TreeSet<>();
        for (LayerStats l : layers) {
            if (l.weightBits() != null) {
                widths.addAll(l.weightBits().histogram().keySet());
            }
            if (l.activationBits() != null) {
                widths.addAll(l.activationBits().histogram().keySet());
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Bit widths per layer")
                .xAxisTitle("bits").yAxisTitle("share of the tensor's elements").build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0);
        List<String> categories = widths.stream().map(String::valueOf).toList();
        for (LayerStats l : layers) {
            addHistogram(chart, l.name() + " weights", l.weightBits(), widths, categories);
            addHistogram(chart, l.name() + " activations", l.activationBits(), widths, categories);
        }
        return save(chart, png);
    }

    private static void addHistogram(CategoryChart chart, String name, BitStatistics stats, TreeSet<Integer> widths,
            List<String> categories) {
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
    public static Path accumulatorBits(List<LayerStats> layers, Path png) throws IOException {
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
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Accumulator bits: needed (worst case) vs declared P").xAxisTitle("layer").yAxisTitle("bits")
                .build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("needed", names, needed).setFillColor(new Color(60, 110, 190));
        if (anyDeclared) {
            chart.addSeries("declared P", names, declared).setFillColor(new Color(220, 140, 40));
        }
        return save(chart, png);
    }

    /**
     * Test accuracy against the accumulator width P, one line per method (e.g. A2Q and A2Q+, arXiv
     * 2401.10432 Fig. 3): {@code byMethod} maps a method's name to P → accuracy.
     */
    public static Path accuracyVsAccumulatorBits(String title, Map<String, SortedMap<Integer, Double>> byMethod, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("accumulator bits P").yAxisTitle("test accuracy").build();
        style(chart.getStyler());
        for (Map.Entry<String, SortedMap<Integer, Double>> method : byMethod.entrySet()) {
            if (method.getValue().isEmpty()) {
                continue;
            }
            double[] p = method.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] acc = method.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            chart.addSeries(method.getKey(), p, acc).setMarker(SeriesMarkers.CIRCLE);
        }
        return save(chart, png);
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setMarkerSize(7);
    }

    private static Path save(Chart<?, ?> chart, Path png) throws IOException {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer available for " + png);
        }
        AtomicFiles.writeBytes(png, bytes.toByteArray());
        return png;
    }

}
