package org.qat4j.datasets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;

/**
 * A dataset held in memory as one row-major {@code float[]} of already normalized features and one
 * {@code float[]} of class labels. A batch is one native row gather from a tensor of all features
 * (created on the first batch, freed by {@link #close()}) plus one small label array: no per-sample
 * arrays, transforms or stacking, which cost several times more per batch in DJL's default path.
 *
 * <p>Labels are float32 class indices of shape {@code (batch)}, as DJL's own MNIST datasets give and
 * {@code SoftmaxCrossEntropyLoss} expects. Pipelines and transforms set on the builder are not
 * applied: normalize before building.
 */
public class TensorDataset extends RandomAccessDataset implements AutoCloseable {

    private final float[] features;
    private final float[] labels;
    private final long[] sampleShape;
    private final int rowLength;
    private final int rows;
    private NDManager nativeManager;
    private NDArray nativeFeatures;

    /** Builds from a builder holding the data. */
    protected TensorDataset(Builder builder) {
        super(builder);
        this.features = builder.features;
        this.labels = builder.labels;
        this.sampleShape = builder.sampleShape.clone();
        this.rowLength = builder.rowLength;
        this.rows = builder.labels.length;
    }

    /** A builder for a dataset over arrays already in memory. */
    public static Builder builder() {
        return new Builder();
    }

    /** The shape of one sample's features (without the batch axis). */
    public Shape getSampleShape() {
        return new Shape(sampleShape);
    }

    /** Number of feature values per sample. */
    public int getRowLength() {
        return rowLength;
    }

    /** The label (class index) of sample {@code index}. */
    public int getLabel(long index) {
        return (int) labels[Math.toIntExact(index)];
    }

    /**
     * SHA-256 (hex) of the data as loaded and normalized: the sample shape, then every sample's feature
     * values and label as little-endian float32 bit patterns, for the provenance of a model trained on it.
     */
    public String sha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long d : sampleShape) {
            buffer.putLong(d);
        }
        for (float[] part : new float[][] {features, labels}) {
            for (float v : part) {
                if (buffer.remaining() < Float.BYTES) {
                    digest.update(buffer.flip());
                    buffer.clear();
                }
                buffer.putInt(Float.floatToRawIntBits(v));
            }
        }
        digest.update(buffer.flip());
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A copy of sample {@code index}'s features. */
    public float[] getFeatures(long index) {
        int from = Math.toIntExact(index) * rowLength;
        return Arrays.copyOfRange(features, from, from + rowLength);
    }

    @Override
    public Record get(NDManager manager, long index) {
        float[] row = getFeatures(index);
        return new Record(
                new NDList(manager.create(row, new Shape(sampleShape))),
                new NDList(manager.create(labels[Math.toIntExact(index)])));
    }

    @Override
    protected long availableSize() {
        return rows;
    }

    @Override
    public void prepare(Progress progress) {
        // Data is in memory from construction on.
    }

    @Override
    public Iterable<Batch> getData(NDManager manager) {
        return getData(manager, sampler, null);
    }

    @Override
    public Iterable<Batch> getData(NDManager manager, ExecutorService executorService) {
        return getData(manager, sampler, executorService);
    }

    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler batchSampler) {
        return getData(manager, batchSampler, null);
    }

    /** Gathers batches on the caller's thread; the executor is ignored (a gather costs under a millisecond). */
    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler batchSampler, ExecutorService executorService) {
        return () -> new GatherIterator(manager, batchSampler);
    }

    /**
     * Builds one batch of the given sample indices, attached to a new sub-manager of {@code manager}:
     * one native row gather ({@code features[indices]}) from a copy of the data the dataset keeps in
     * native memory, so no per-batch Java arrays are allocated.
     */
    public Batch gather(NDManager manager, List<Long> indices, long progress, long progressTotal) {
        int n = indices.size();
        long[] rowsToTake = new long[n];
        float[] y = new float[n];
        for (int b = 0; b < n; b++) {
            long row = indices.get(b);
            rowsToTake[b] = row;
            y[b] = labels[Math.toIntExact(row)];
        }
        NDManager batchManager = manager.newSubManager();
        NDArray index = batchManager.create(rowsToTake);
        // The gather's result belongs to the features' manager (first operand): move it to the batch.
        NDArray x = nativeFeatures().get(new NDIndex("{}", index));
        x.attach(batchManager);
        NDList data = new NDList(x);
        NDList label = new NDList(batchManager.create(y, new Shape(n)));
        if (device != null) {
            data = data.toDevice(device, false);
            label = label.toDevice(device, false);
        }
        return new Batch(
                batchManager, data, label, n, Batchifier.STACK, Batchifier.STACK, progress, progressTotal, indices);
    }

    private synchronized NDArray nativeFeatures() {
        if (nativeFeatures == null) {
            nativeManager = NDManager.newBaseManager();
            long[] shape = new long[sampleShape.length + 1];
            shape[0] = rows;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            nativeFeatures = nativeManager.create(features, new Shape(shape));
        }
        return nativeFeatures;
    }

    /** Frees the native copy of the features (made on the first batch); the dataset stays usable. */
    @Override
    public synchronized void close() {
        if (nativeManager != null) {
            nativeManager.close();
            nativeManager = null;
            nativeFeatures = null;
        }
    }

    private final class GatherIterator implements Iterator<Batch> {
        private final NDManager manager;
        private final Iterator<List<Long>> batches;
        private final long total;
        private long done;

        GatherIterator(NDManager manager, Sampler batchSampler) {
            this.manager = manager;
            this.batches = batchSampler.sample(TensorDataset.this);
            int batchSize = batchSampler.getBatchSize();
            this.total = (size() + batchSize - 1) / batchSize;
        }

        @Override
        public boolean hasNext() {
            return batches.hasNext();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<Long> indices = batches.next();
            done++;
            return gather(manager, indices, done, total);
        }
    }

    /** Builder: {@code setData} required, sampling required (as every DJL dataset). */
    public static class Builder extends BaseBuilder<Builder> {
        float[] features;
        float[] labels;
        long[] sampleShape;
        int rowLength;

        /**
         * Sets the features (row-major, {@code labels.length} rows of the sample shape's size) and the
         * labels (class indices stored as floats). The arrays are kept, not copied.
         */
        public Builder setData(float[] features, long[] sampleShape, float[] labels) {
            if (features == null || sampleShape == null || labels == null) {
                throw new IllegalArgumentException("features, sampleShape and labels must not be null");
            }
            long len = 1;
            for (long d : sampleShape) {
                if (d < 1) {
                    throw new IllegalArgumentException(
                            "sampleShape has a dimension < 1: " + Arrays.toString(sampleShape));
                }
                len *= d;
            }
            if (len * labels.length != features.length) {
                throw new IllegalArgumentException("features has " + features.length + " values; expected "
                        + labels.length + " rows × " + len + " (sampleShape " + Arrays.toString(sampleShape) + ")");
            }
            this.features = features;
            this.labels = labels;
            this.sampleShape = sampleShape.clone();
            this.rowLength = (int) len;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Builds the dataset; fails if data or sampling is missing. */
        public TensorDataset build() {
            validate();
            return new TensorDataset(this);
        }

        /** Checks what {@link #build} needs. */
        protected void validate() {
            if (features == null) {
                throw new IllegalArgumentException("setData(...) is required");
            }
            if (sampler == null) {
                throw new IllegalArgumentException("setSampling(...) is required");
            }
        }
    }
}
