package org.qat4j.examples.run;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.qat4j.core.method.BitStatistics;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.pareto.ParetoFront;
import org.qat4j.core.train.pareto.ParetoPoint;
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
        return save(png, trainingCharts(title, history).toArray(new XYChart[0]));
    }

    /** The two charts of {@link #trainingCurves}. */
    static List<XYChart> trainingCharts(String title, List<EpochRecord> history) {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart task = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": task loss and accuracy")
                .xAxisTitle("epoch").yAxisTitle("task loss (cross-entropy)").build();
        style(task.getStyler());
        task.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        task.setYAxisGroupTitle(1, "accuracy");
        task.addSeries("task loss", epochs, history.stream().mapToDouble(RunPlots::taskLoss).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        addIfMeasured(task, "train accuracy", epochs, history.stream().mapToDouble(EpochRecord::trainAccuracy).toArray());
        addIfMeasured(task, "test accuracy", epochs,
                history.stream().mapToDouble(EpochRecord::validationAccuracy).toArray());
        XYChart regularizer = new XYChartBuilder().width(WIDTH).height(HEIGHT * 3 / 4)
                .title(title + ": regularizer").xAxisTitle("epoch").yAxisTitle("regularizer (loss terms)").build();
        style(regularizer.getStyler());
        regularizer.addSeries("regularizer", epochs, history.stream().mapToDouble(RunPlots::lossTerms).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        if (history.stream().anyMatch(r -> r.extra().containsKey("ebops"))) {
            regularizer.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            regularizer.setYAxisGroupTitle(1, "EBOPs");
            addIfMeasured(regularizer, "EBOPs", epochs,
                    history.stream().mapToDouble(r -> r.extra().getOrDefault("ebops", Double.NaN)).toArray());
        }
        epochAxis(task, epochs);
        epochAxis(regularizer, epochs);
        readableValues(task);
        readableValues(regularizer);
        boolean regularized = history.stream().anyMatch(r -> lossTerms(r) != 0 || r.extra().containsKey("ebops"));
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
        labelPoints(chart, points);
        return save(png, chart);
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
        return save(png, chart);
    }

    /** Bars of the share of elements per bit width, one series per layer and tensor (weights, activations). */
    public static Path bitWidthHistograms(String title, List<LayerStats> layers, Path png) throws IOException {
        TreeSet<Integer> widths = new TreeSet<>();
        for (LayerStats l : layers) {
            if (l.weightBits() != null) {
                widths.addAll(l.weightBits().histogram().keySet());
            }
            if (l.activationBits() != null) {
                widths.addAll(l.activationBits().histogram().keySet());
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": bit widths per layer")
                .xAxisTitle("bits").yAxisTitle("share of the tensor's elements").build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0);
        List<String> categories = widths.stream().map(String::valueOf).toList();
        for (LayerStats l : layers) {
            addHistogram(chart, l.name() + " weights", l.weightBits(), widths, categories);
            addHistogram(chart, l.name() + " activations", l.activationBits(), widths, categories);
        }
        return save(png, chart);
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
    public static Path accumulatorBits(String title, List<LayerStats> layers, Path png) throws IOException {
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
                .title(title + ": accumulator bits, needed (worst case) vs declared P").xAxisTitle("layer").yAxisTitle("bits")
                .build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("needed", names, needed).setFillColor(new Color(60, 110, 190));
        if (anyDeclared) {
            chart.addSeries("declared P", names, declared).setFillColor(new Color(220, 140, 40));
        }
        return save(png, chart);
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
        return save(png, chart);
    }

    /** A legend one entry per line at the right, inside the canvas however many series there are. */
    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(Styler.LegendLayout.Vertical);
        styler.setMarkerSize(7);
    }

    /** The charts stacked top to bottom in one PNG, written atomically. */
    private static Path save(Path png, Chart<?, ?>... charts) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        int width = 0;
        int height = 0;
        for (Chart<?, ?> chart : charts) {
            BufferedImage part = BitmapEncoder.getBufferedImage(chart);
            images.add(part);
            width = Math.max(width, part.getWidth());
            height += part.getHeight();
        }
        BufferedImage image = images.get(0);
        if (images.size() > 1) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (BufferedImage part : images) {
                g.drawImage(part, 0, y, null);
                y += part.getHeight();
            }
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer available for " + png);
        }
        AtomicFiles.writeBytes(png, bytes.toByteArray());
        return png;
    }

}
