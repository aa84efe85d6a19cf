package org.qat4j.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxTestFiles {

    private IdxTestFiles() {}

    static byte[] images(int magic, int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] labels(int magic, int count, byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(magic).putInt(count).put(labels);
        return b.array();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        if (gzip) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(bytes)) {
                out.write(content);
            }
            content = bytes.toByteArray();
        }
        Files.write(file, content);
        return file;
    }

    /** Writes a consistent 4-file dataset of {@code train}/{@code test} images of rows×cols. */
    static void writeDataset(Path dir, int train, int test, int rows, int cols, boolean gzip) throws IOException {
        writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", train, rows, cols, gzip, 1);
        writeSplit(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test, rows, cols, gzip, 7);
    }

    static void writeSplit(Path dir, String images, String labels, int n, int rows, int cols, boolean gzip, int salt)
            throws IOException {
        byte[] pixels = new byte[n * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31 + salt);
        }
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) ((i + salt) % 10);
        }
        String ext = gzip ? ".gz" : "";
        write(dir.resolve(images + ext), images(IdxReader.IMAGES_MAGIC, n, rows, cols, pixels), gzip);
        write(dir.resolve(labels + ext), labels(IdxReader.LABELS_MAGIC, n, y), gzip);
    }
}
