package org.qat4j.examples.run;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.qat4j.runtime.io.AtomicFiles;

/** The plots' common canvas: size, legend style, and charts stacked into one PNG written atomically. */
final class PlotCanvas {

    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    private PlotCanvas() {}

    /** A legend one entry per line at the right, inside the canvas however many series there are. */
    static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(Styler.LegendLayout.Vertical);
        styler.setMarkerSize(7);
    }

    /** The charts stacked top to bottom in one PNG, written atomically. */
    static Path save(Path png, Chart<?, ?>... charts) throws IOException {
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
