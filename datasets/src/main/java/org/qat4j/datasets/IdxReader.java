package org.qat4j.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST container), raw or gzip-compressed: a big-endian header
 * {@code 0x00 0x00 type ndim}, then {@code ndim} big-endian int32 dimensions, then the data. Only
 * unsigned-byte data (type {@code 0x08}) is read: images with magic {@code 0x00000803} (3 dimensions)
 * and labels with magic {@code 0x00000801} (1 dimension).
 *
 * <p>Every malformed file fails with a {@link DataFileException} naming the file and the byte offset
 * (in the decompressed stream for gzip files) of the first thing that is wrong.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /** Reads all images of {@code file}. */
    public static IdxImages readImages(Path file) throws IOException {
        return readImages(file, Integer.MAX_VALUE);
    }

    /**
     * Reads the first {@code limit} images of {@code file} (all if fewer). The whole file is checked
     * whatever the limit: a valid header, exactly the announced images, nothing after them.
     */
    public static IdxImages readImages(Path file, int limit) throws IOException {
        checkLimit(limit);
        try (DataInputStream in = open(file)) {
            readMagic(in, file, IMAGES_MAGIC, "unsigned-byte images with 3 dimensions");
            int count = readDimension(in, file, 4, "image count");
            int rows = readDimension(in, file, 8, "rows");
            int cols = readDimension(in, file, 12, "columns");
            if (rows == 0 || cols == 0) {
                throw DataFileException.atOffset(
                        file,
                        rows == 0 ? 8 : 12,
                        "image size " + rows + "×" + cols + " is empty; expected at least 1×1");
            }
            int n = Math.min(count, limit);
            long bytes = (long) n * rows * cols;
            if (bytes > Integer.MAX_VALUE - 16) {
                throw DataFileException.atOffset(
                        file,
                        4,
                        n + " images of " + rows + "×" + cols + " bytes do not fit in one Java array; pass a limit");
            }
            byte[] pixels = readFully(in, file, 16, (int) bytes, "pixels of " + n + " images of " + rows + "×" + cols);
            long total = (long) count * rows * cols;
            skipFully(in, file, 16 + bytes, total - bytes, "pixels of " + count + " images of " + rows + "×" + cols);
            checkEnd(in, file, 16 + total);
            return new IdxImages(n, rows, cols, pixels);
        }
    }

    /** Reads all labels of {@code file}. */
    public static byte[] readLabels(Path file) throws IOException {
        return readLabels(file, Integer.MAX_VALUE);
    }

    /**
     * Reads the first {@code limit} labels of {@code file} (all if fewer); the whole file is checked
     * whatever the limit.
     */
    public static byte[] readLabels(Path file, int limit) throws IOException {
        checkLimit(limit);
        try (DataInputStream in = open(file)) {
            readMagic(in, file, LABELS_MAGIC, "unsigned-byte labels with 1 dimension");
            int count = readDimension(in, file, 4, "label count");
            int n = Math.min(count, limit);
            byte[] labels = readFully(in, file, 8, n, n + " labels");
            skipFully(in, file, 8L + n, (long) count - n, count + " labels");
            checkEnd(in, file, 8L + count);
            return labels;
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw DataFileException.ofFile(file, "no such file", new NoSuchFileException(file.toString()));
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        // gzip is recognised by its own magic bytes, not by the file name.
        if (b0 == 0x1f && b1 == 0x8b) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static void readMagic(DataInputStream in, Path file, int expected, String what) throws IOException {
        byte[] header = readFully(in, file, 0, 4, "the 4-byte magic number");
        int magic = ((header[0] & 0xFF) << 24)
                | ((header[1] & 0xFF) << 16)
                | ((header[2] & 0xFF) << 8)
                | (header[3] & 0xFF);
        if (magic != expected) {
            throw DataFileException.atOffset(
                    file, 0, String.format("bad magic number 0x%08X; expected 0x%08X (IDX %s)", magic, expected, what));
        }
    }

    private static int readDimension(DataInputStream in, Path file, long offset, String name) throws IOException {
        byte[] b = readFully(in, file, offset, 4, "the " + name + " (big-endian int32)");
        int value = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (value < 0) {
            throw DataFileException.atOffset(file, offset, name + " is negative: " + value);
        }
        return value;
    }

    private static byte[] readFully(DataInputStream in, Path file, long offset, int length, String what)
            throws IOException {
        byte[] buffer = new byte[length];
        int read;
        try {
            read = in.readNBytes(buffer, 0, length);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw DataFileException.atOffset(
                    file, offset, "corrupt gzip stream while reading " + what + ": " + e.getMessage());
        }
        if (read < length) {
            throw DataFileException.atOffset(
                    file,
                    offset + read,
                    "truncated: expected " + length + " bytes of " + what + " starting at offset " + offset
                            + ", found only " + read);
        }
        return buffer;
    }

    /** The count in the header of an IDX images or labels file (its second int32). */
    public static int headerCount(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            readFully(in, file, 0, 4, "the 4-byte magic number");
            return readDimension(in, file, 4, "count");
        }
    }

    /** Reads and drops {@code length} bytes that must be there (the data past a read limit). */
    private static void skipFully(DataInputStream in, Path file, long offset, long length, String what)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        while (done < length) {
            int read;
            try {
                read = in.read(buffer, 0, (int) Math.min(buffer.length, length - done));
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw DataFileException.atOffset(
                        file, offset + done, "corrupt gzip stream while reading " + what + ": " + e.getMessage());
            }
            if (read < 0) {
                throw DataFileException.atOffset(
                        file,
                        offset + done,
                        "truncated: the header announces " + what + ", the file ends " + (length - done)
                                + " bytes early");
            }
            done += read;
        }
    }

    private static void checkEnd(DataInputStream in, Path file, long offset) throws IOException {
        int next;
        try {
            next = in.read();
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw DataFileException.atOffset(file, offset, "corrupt gzip stream after the data: " + e.getMessage());
        }
        if (next >= 0) {
            throw DataFileException.atOffset(
                    file,
                    offset,
                    "unexpected bytes after the data the header announced; the header's count is wrong or the file was concatenated");
        }
    }
}
