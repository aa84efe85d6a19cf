package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.DataIterable;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.SequenceSampler;
import ai.djl.translate.Batchifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs on the installed Debian files when present (skipped otherwise). */
class FashionMnistRealFilesTest {

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistRealFilesTest.class);
    private static final Path SYSTEM = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void readsTheInstalledFilesAndGathersBatchesFast() throws Exception {
        assumeTrue(
                Files.isRegularFile(SYSTEM.resolve("t10k-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist not installed");
        for (String name : IdxSource.standardFiles().values()) {
            IdxSource.FASHION_MNIST.checksums().get(name + ".gz").verify(SYSTEM.resolve(name + ".gz"));
        }
        IdxImageDataset test = FashionMnistDataset.builder()
                .optUsage(Dataset.Usage.TEST)
                .setSampling(256, false)
                .build();
        assertEquals(10_000, test.size());
        int[] perClass = new int[10];
        for (int i = 0; i < test.size(); i++) {
            perClass[test.getLabel(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "class " + c);
        }
        IdxImageDataset train = FashionMnistDataset.builder()
                .optLimit(2000)
                .setSampling(256, true)
                .build();
        assertEquals(2000, train.size());

        // Side by side: our gather path vs DJL's per-sample get + stack on the same data.
        try (NDManager manager = NDManager.newBaseManager()) {
            msPerBatch(test.getData(manager), 1); // engine load and JIT warm-up
            double fast = msPerBatch(test.getData(manager), 5);
            Iterable<Batch> perSample = () -> new DataIterable(
                    test,
                    manager,
                    new BatchSampler(new SequenceSampler(), 256),
                    Batchifier.STACK,
                    Batchifier.STACK,
                    null,
                    null,
                    null,
                    0,
                    null);
            msPerBatch(perSample, 1);
            double slow = msPerBatch(perSample, 2);
            msPerBatch(train.getData(manager), 1);
            double shuffled = msPerBatch(train.getData(manager), 10);
            LOG.info(
                    "Fashion-MNIST test set, batch 256: gather {} ms/batch, DJL per-sample {} ms/batch, ratio {};"
                            + " shuffled train gather {} ms/batch",
                    String.format("%.3f", fast),
                    String.format("%.3f", slow),
                    String.format("%.1f", slow / fast),
                    String.format("%.3f", shuffled));
        }
    }

    private static double msPerBatch(Iterable<Batch> data, int epochs) {
        long batches = 0;
        long start = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (Batch batch : data) {
                batch.getData().singletonOrThrow().getShape();
                batch.close();
                batches++;
            }
        }
        return (System.nanoTime() - start) / 1e6 / batches;
    }
}
