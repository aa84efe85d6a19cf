package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.Record;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImageDatasetTest {

    @TempDir
    Path dir;

    private IdxSource tinySource(Path mirror, Map<String, Checksum> checksums) {
        return new IdxSource(
                "Tiny",
                "tiny",
                IdxSource.standardFiles(),
                List.of(dir.resolve("no-system-dir")),
                List.of(mirror.toUri()),
                checksums,
                "apt-get install tiny-dataset");
    }

    @Test
    void pixelsAreScaledOnceAndLabelsKept() throws IOException {
        IdxTestFiles.writeDataset(dir, 10, 4, 3, 2, true);
        IdxImageDataset train = FashionMnistDataset.builder()
                .optDirectory(dir)
                .setSampling(4, false)
                .build();
        IdxImages raw = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
        byte[] labels = IdxReader.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"));
        assertEquals(10, train.size());
        assertEquals(new Shape(6), train.getSampleShape());
        for (int i = 0; i < 10; i++) {
            float[] row = train.getFeatures(i);
            for (int p = 0; p < 6; p++) {
                float expected = (raw.pixels()[i * 6 + p] & 0xFF) / 255f;
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(row[p]));
            }
            assertEquals(labels[i], train.getLabel(i));
        }
        IdxImageDataset test = FashionMnistDataset.builder()
                .optDirectory(dir)
                .optUsage(Dataset.Usage.TEST)
                .optFlatten(false)
                .setSampling(4, false)
                .build();
        assertEquals(4, test.size());
        assertEquals(new Shape(1, 3, 2), test.getSampleShape());
    }

    @Test
    void batchesEqualPerSampleRecordsAndCoverEverySampleOnce() throws IOException {
        IdxTestFiles.writeDataset(dir, 23, 4, 4, 4, false);
        EpochSeededSampler sampler = new EpochSeededSampler(5, true, false, 99);
        IdxImageDataset train = FashionMnistDataset.builder()
                .optDirectory(dir)
                .optFlatten(false)
                .optNormalization(0.5f, 0.25f)
                .setSampling(sampler)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Set<Long> seen = new HashSet<>();
            int batches = 0;
            for (Batch batch : train.getData(manager)) {
                try (batch) {
                    batches++;
                    NDArray x = batch.getData().singletonOrThrow();
                    NDArray y = batch.getLabels().singletonOrThrow();
                    assertEquals(new Shape(batch.getSize(), 1, 4, 4), x.getShape());
                    assertEquals(new Shape(batch.getSize()), y.getShape());
                    List<?> indices = batch.getIndices();
                    for (int b = 0; b < batch.getSize(); b++) {
                        long index = (Long) indices.get(b);
                        assertTrue(seen.add(index), "sample " + index + " twice in one epoch");
                        Record record = train.get(manager, index);
                        assertArrayEquals(
                                record.getData().singletonOrThrow().toFloatArray(),
                                x.get(b).toFloatArray());
                        assertEquals(record.getLabels().singletonOrThrow().getFloat(), y.getFloat(b));
                    }
                }
            }
            assertEquals(5, batches);
            assertEquals(23, seen.size());
            assertTrue(manager.getManagedArrays().size() < 60, "batches must release their arrays");
        }
    }

    @Test
    void labelCountDifferentFromImageCountNamesBothFiles() throws IOException {
        IdxTestFiles.writeDataset(dir, 6, 2, 2, 2, true);
        IdxTestFiles.write(
                dir.resolve("train-labels-idx1-ubyte.gz"),
                IdxTestFiles.labels(IdxReader.LABELS_MAGIC, 5, new byte[5]),
                true);
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> FashionMnistDataset.builder()
                        .optDirectory(dir)
                        .setSampling(2, false)
                        .build());
        DataFileException cause = (DataFileException) e.getCause();
        assertTrue(
                cause.getMessage().contains("train-labels-idx1-ubyte.gz")
                        && cause.getMessage().contains("byte offset 4"),
                cause.getMessage());
        assertTrue(
                cause.getMessage().contains("label count 5")
                        && cause.getMessage().contains("image count 6"),
                cause.getMessage());
    }

    @Test
    void userDirectoryWithoutFilesSaysWhichFileAndWhere() {
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> FashionMnistDataset.builder()
                        .optDirectory(dir)
                        .setSampling(2, false)
                        .build());
        assertTrue(
                e.getMessage().contains("train-images-idx3-ubyte")
                        && e.getMessage().contains(dir.toString()),
                e.getMessage());
    }

    @Test
    void offlineWithoutFilesSaysWhereItLookedAndHowToInstall() {
        Path cache = dir.resolve("cache");
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> IdxImageDataset.builder()
                        .setSource(tinySource(dir.resolve("mirror"), Map.of()))
                        .optCacheDirectory(cache)
                        .optOffline(true)
                        .setSampling(2, false)
                        .build());
        String m = e.getMessage();
        assertTrue(m.contains("no-system-dir") && m.contains(cache.toString()), m);
        assertTrue(m.contains("ai.djl.offline") && m.contains("apt-get install tiny-dataset"), m);
    }

    @Test
    void downloadsVerifiesAndCachesWhenOnline() throws IOException {
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        IdxTestFiles.writeDataset(mirror, 7, 3, 2, 2, true);
        Map<String, Checksum> sums = new java.util.HashMap<>();
        for (String name : IdxSource.standardFiles().values()) {
            Path f = mirror.resolve(name + ".gz");
            boolean content = name.contains("images");
            Checksum probe = content ? Checksum.sha256OfContent("00") : Checksum.sha1("00");
            sums.put(name + ".gz", new Checksum(probe.algorithm(), probe.digest(f), content));
        }
        Path cache = dir.resolve("cache");
        IdxImageDataset train = IdxImageDataset.builder()
                .setSource(tinySource(mirror, sums))
                .optCacheDirectory(cache)
                .optOffline(false)
                .setSampling(2, false)
                .build();
        assertEquals(7, train.size());
        assertEquals(cache.resolve("train-images-idx3-ubyte.gz"), train.getImagesFile());
        // Second build finds the cache even offline.
        IdxImageDataset again = IdxImageDataset.builder()
                .setSource(tinySource(mirror, sums))
                .optCacheDirectory(cache)
                .optOffline(true)
                .setSampling(2, false)
                .build();
        assertEquals(7, again.size());
    }

    @Test
    void wrongChecksumRejectsTheDownloadAndLeavesNothingInTheCache() throws IOException {
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        IdxTestFiles.writeDataset(mirror, 7, 3, 2, 2, true);
        Map<String, Checksum> sums =
                Map.of("train-images-idx3-ubyte.gz", Checksum.sha1("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        Path cache = dir.resolve("cache");
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> IdxImageDataset.builder()
                        .setSource(tinySource(mirror, sums))
                        .optCacheDirectory(cache)
                        .optOffline(false)
                        .setSampling(2, false)
                        .build());
        assertTrue(e.getMessage().contains("SHA-1") && e.getMessage().contains("da39a3ee"), e.getMessage());
        try (var files = Files.list(cache)) {
            assertFalse(files.findAny().isPresent(), "a rejected download must not stay in the cache");
        }
    }

    @Test
    void samplerOrderDependsOnlyOnSeedAndEpoch() {
        EpochSeededSampler a = new EpochSeededSampler(4, true, false, 7);
        EpochSeededSampler b = new EpochSeededSampler(4, true, false, 7);
        assertArrayEquals(a.order(100, 3), b.order(100, 3));
        assertFalse(java.util.Arrays.equals(a.order(100, 3), a.order(100, 4)));
        long[] sorted = a.order(100, 5).clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
    }
}
