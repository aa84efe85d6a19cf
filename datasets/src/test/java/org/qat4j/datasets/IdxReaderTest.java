package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsRawOrGzip(boolean gzip) throws IOException {
        byte[] pixels = pattern(3 * 2 * 5);
        Path images = IdxTestFiles.write(dir.resolve("img"), IdxTestFiles.images(0x803, 3, 2, 5, pixels), gzip);
        Path labels = IdxTestFiles.write(
                dir.resolve("lbl"), IdxTestFiles.labels(0x801, 3, new byte[] {9, 0, (byte) 200}), gzip);

        IdxImages read = IdxReader.readImages(images);
        assertEquals(3, read.count());
        assertEquals(2, read.rows());
        assertEquals(5, read.cols());
        assertArrayEquals(pixels, read.pixels());
        assertArrayEquals(new byte[] {9, 0, (byte) 200}, IdxReader.readLabels(labels));
    }

    @Test
    void limitReadsOnlyTheFirstSamples() throws IOException {
        byte[] pixels = pattern(4 * 3 * 3);
        Path images = IdxTestFiles.write(dir.resolve("img"), IdxTestFiles.images(0x803, 4, 3, 3, pixels), true);
        IdxImages read = IdxReader.readImages(images, 2);
        assertEquals(2, read.count());
        assertArrayEquals(Arrays.copyOf(pixels, 18), read.pixels());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void badMagicNumberNamesFileOffsetAndBothNumbers(boolean gzip) throws IOException {
        Path images =
                IdxTestFiles.write(dir.resolve("bad-images"), IdxTestFiles.images(0x801, 1, 1, 1, new byte[1]), gzip);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(images));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 0"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
        assertEquals(images, e.getFile());

        Path labels =
                IdxTestFiles.write(dir.resolve("bad-labels"), IdxTestFiles.labels(0x12345678, 1, new byte[1]), gzip);
        DataFileException l = assertThrows(DataFileException.class, () -> IdxReader.readLabels(labels));
        assertTrue(l.getMessage().contains("bad magic number 0x12345678"), l.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedPixelsReportTheOffsetWhereDataEnds(boolean gzip) throws IOException {
        byte[] full = IdxTestFiles.images(0x803, 2, 2, 2, pattern(8));
        Path images = IdxTestFiles.write(dir.resolve("trunc"), Arrays.copyOf(full, full.length - 3), gzip);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(images));
        assertTrue(e.getMessage().contains("byte offset 21"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("found only 5"), e.getMessage());
    }

    @Test
    void truncatedHeaderReportsTheDimensionMissing() throws IOException {
        byte[] full = IdxTestFiles.images(0x803, 2, 2, 2, pattern(8));
        Path images = IdxTestFiles.write(dir.resolve("trunc"), Arrays.copyOf(full, 10), false);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(images));
        assertTrue(e.getMessage().contains("byte offset 10") && e.getMessage().contains("rows"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsAClearError() throws IOException {
        Path whole =
                IdxTestFiles.write(dir.resolve("whole.gz"), IdxTestFiles.images(0x803, 50, 4, 4, pattern(800)), true);
        byte[] gz = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("byte offset"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] full = IdxTestFiles.labels(0x801, 2, new byte[] {1, 2, 3});
        Path labels = IdxTestFiles.write(dir.resolve("long"), full, false);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(labels));
        assertTrue(e.getMessage().contains("byte offset 10"), e.getMessage());
    }

    @Test
    void negativeCountAndMissingFileAreClear() throws IOException {
        Path neg = IdxTestFiles.write(dir.resolve("neg"), IdxTestFiles.labels(0x801, -5, new byte[0]), false);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(neg));
        assertTrue(e.getMessage().contains("byte offset 4") && e.getMessage().contains("-5"), e.getMessage());
        Path missing = dir.resolve("nope");
        DataFileException m = assertThrows(DataFileException.class, () -> IdxReader.readLabels(missing));
        assertTrue(m.getMessage().contains(missing.toString()) && m.getMessage().contains("no such file"));
    }

    @Property(tries = 60)
    void anyWellFormedFileRoundTrips(
            @ForAll @IntRange(min = 0, max = 7) int count,
            @ForAll @IntRange(min = 1, max = 6) int rows,
            @ForAll @IntRange(min = 1, max = 6) int cols,
            @ForAll boolean gzip,
            @ForAll @IntRange(min = 0, max = 9) int limit)
            throws IOException {
        Path tmp = Files.createTempDirectory("idx");
        try {
            byte[] pixels = pattern(count * rows * cols);
            Path f = IdxTestFiles.write(tmp.resolve("f"), IdxTestFiles.images(0x803, count, rows, cols, pixels), gzip);
            IdxImages read = IdxReader.readImages(f, limit);
            int n = Math.min(count, limit);
            assertEquals(n, read.count());
            assertArrayEquals(Arrays.copyOf(pixels, n * rows * cols), read.pixels());
        } finally {
            try (var s = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(tmp);
        }
    }
}
