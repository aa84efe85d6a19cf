/**
 * Datasets for qat4j's examples as DJL {@code RandomAccessDataset}s: IDX image files (MNIST,
 * Fashion-MNIST; found locally or downloaded with checksum verification) and the hls4ml jet-tagging
 * table (CSV or ARFF, seeded 80/20 split, standardized with train statistics). Data is normalized once
 * into memory; a batch is one native row gather ({@link org.qat4j.datasets.TensorDataset}), and
 * {@link org.qat4j.datasets.EpochSeededSampler} makes the order of each epoch a function of
 * {@code (seed, epoch)} so resumed runs see the same batches. Malformed files fail with a
 * {@link org.qat4j.datasets.DataFileException} naming the file and the byte offset or line.
 */
package org.qat4j.datasets;
