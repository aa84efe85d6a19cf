package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPlotsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void writesFourReadablePngs() throws IOException {
        Path plots = dir.resolve("plots");
        List<Path> written = RunPlots.writeAll(RunMetricsTest.sample(), plots);
        assertEquals(
                List.of(
                        plots.resolve(RunPlots.TRAINING_CURVES),
                        plots.resolve(RunPlots.ACCURACY_VS_EBOPS),
                        plots.resolve(RunPlots.BIT_WIDTHS),
                        plots.resolve(RunPlots.ACCUMULATOR_BITS)),
                written);
        for (Path png : written) {
            byte[] bytes = Files.readAllBytes(png);
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), png + " is not a PNG");
            assertTrue(bytes.length > 10_000, png + " is suspiciously small: " + bytes.length + " bytes");
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(900, image.getWidth());
            // the training curves stack the task-loss chart (560) over the regularizer chart (420)
            assertEquals(png.endsWith(RunPlots.TRAINING_CURVES) ? 980 : 560, image.getHeight(), png.toString());
            assertTrue(distinctColours(image) > 20, png + " looks blank");
        }
        try (var files = Files.list(plots)) {
            assertEquals(4, files.count(), "no temporary files left");
        }
        // For a person to look at: -Dqat4j.test.plotDir=DIR keeps a copy.
        String keep = System.getProperty("qat4j.test.plotDir");
        if (keep != null) {
            RunPlots.writeAll(RunMetricsTest.sample(), Path.of(keep));
        }
    }

    @Test
    void taskLossAndRegularizerApartTestNamedTestRecipeAndRunInTitlesLegendsInside() {
        RunMetrics m = RunMetricsTest.sample();
        String title = RunPlots.titleOf(m, dir.resolve("my-run").resolve("plots"));
        assertEquals(m.getRecipe() + ", run my-run", title);
        List<org.knowm.xchart.XYChart> charts = RunPlots.trainingCharts(title, m.getHistory());
        assertEquals(2, charts.size());
        assertTrue(
                charts.get(0).getSeriesMap().containsKey("task loss"),
                charts.get(0).getSeriesMap().keySet().toString());
        assertTrue(charts.get(0).getSeriesMap().containsKey("test accuracy"));
        assertTrue(charts.get(0).getSeriesMap().keySet().stream().noneMatch(k -> k.contains("validation")));
        assertTrue(charts.get(1).getSeriesMap().containsKey("regularizer"));
        for (var chart : charts) {
            assertTrue(chart.getTitle().startsWith(title + ": "), chart.getTitle());
            assertEquals(
                    org.knowm.xchart.style.Styler.LegendPosition.OutsideE,
                    chart.getStyler().getLegendPosition());
        }
    }

    @Test
    void epochTicksAreWholeNumbers() {
        assertEquals("1", RunPlots.epochTick(1.0));
        assertEquals("12", RunPlots.epochTick(12.0));
        assertEquals("", RunPlots.epochTick(1.617011826485395));
        assertEquals("", RunPlots.epochTick(0.5));
    }

    @Test
    void plotsWithoutDataAreSkipped() throws IOException {
        RunMetrics m = new RunMetrics("a2q-fashion-cnn");
        m.addLayer(new LayerStats("conv0", "conv2d", null, null, 15, 16));
        assertEquals(List.of(dir.resolve(RunPlots.ACCUMULATOR_BITS)), RunPlots.writeAll(m, dir));
    }

    @Test
    void accuracyAgainstAccumulatorWidthPerMethod() throws IOException {
        Path png = dir.resolve("a2q-vs-a2q-plus.png");
        java.util.Map<String, java.util.SortedMap<Integer, Double>> byMethod = new java.util.LinkedHashMap<>();
        byMethod.put(
                "A2Q", new java.util.TreeMap<>(java.util.Map.of(10, 0.42, 12, 0.71, 14, 0.84, 16, 0.88, 32, 0.89)));
        byMethod.put(
                "A2Q+", new java.util.TreeMap<>(java.util.Map.of(10, 0.61, 12, 0.80, 14, 0.87, 16, 0.885, 32, 0.89)));
        RunPlots.accuracyVsAccumulatorBits("W4A4 CNN", byMethod, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertTrue(distinctColours(image) > 20);
        String keep = System.getProperty("qat4j.test.plotDir");
        if (keep != null) {
            java.nio.file.Files.copy(
                    png, Path.of(keep).resolve(png.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
