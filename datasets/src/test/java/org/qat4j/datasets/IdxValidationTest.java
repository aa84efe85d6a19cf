package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A malformed data file fails naming the file whatever the options: a read limit reads fewer samples
 * but still checks the whole file (header, announced length, nothing after it, counts of images and labels).
 */
class IdxValidationTest {

    @TempDir
    Path dir;

    private static final int N = 6;

    /** Limits: 0 means none; 1 and N - 1 read only part of the file. */
    @ParameterizedTest
    @CsvSource({
        "truncated,0",
        "truncated,1",
        "truncated,5",
        "trailing,0",
        "trailing,1",
        "trailing,5",
        "labelCount,0",
        "labelCount,1",
        "labelCount,5",
        "gzipCut,0",
        "gzipCut,1",
        "gzipCut,5"
    })
    void everyFileIsCheckedWholeWhateverTheLimit(String defect, int limit) throws IOException {
        IdxTestFiles.writeDataset(dir, N, 2, 2, 2, defect.equals("gzipCut"));
        byte[] pixels = new byte[N * 4];
        Path bad;
        switch (defect) {
            case "truncated" ->
                bad = IdxTestFiles.write(
                        dir.resolve("train-images-idx3-ubyte"),
                        Arrays.copyOf(IdxTestFiles.images(IdxReader.IMAGES_MAGIC, N, 2, 2, pixels), 16 + N * 4 - 1),
                        false);
            case "trailing" ->
                bad = IdxTestFiles.write(
                        dir.resolve("train-images-idx3-ubyte"),
                        Arrays.copyOf(IdxTestFiles.images(IdxReader.IMAGES_MAGIC, N, 2, 2, pixels), 16 + N * 4 + 1),
                        false);
            case "labelCount" ->
                bad = IdxTestFiles.write(
                        dir.resolve("train-labels-idx1-ubyte"),
                        IdxTestFiles.labels(IdxReader.LABELS_MAGIC, N + 1, new byte[N + 1]),
                        false);
            case "gzipCut" -> {
                bad = dir.resolve("train-images-idx3-ubyte.gz");
                byte[] whole = java.nio.file.Files.readAllBytes(bad);
                java.nio.file.Files.write(bad, Arrays.copyOf(whole, whole.length - 12));
            }
            default -> throw new IllegalArgumentException(defect);
        }
        IdxImageDataset.Builder b =
                FashionMnistDataset.builder().optDirectory(dir).setSampling(2, false);
        if (limit > 0) {
            b.optLimit(limit);
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class, b::build, defect + " limit " + limit);
        DataFileException cause = (DataFileException) e.getCause();
        assertEquals(bad.getFileName(), cause.getFile().getFileName(), cause.getMessage());
        assertTrue(cause.getMessage().startsWith(bad.toString()), cause.getMessage());
    }
}
