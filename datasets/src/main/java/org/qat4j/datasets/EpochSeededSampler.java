package org.qat4j.datasets;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A batch sampler whose order depends only on {@code (seed, epoch)}: a resumed run that sets the
 * epoch it continues from sees exactly the batches the interrupted run would have seen. Each call of
 * {@link #sample} uses the current epoch and then advances it by one, so a plain loop over epochs
 * gets a new order per epoch.
 *
 * <p>The shuffle is Fisher–Yates driven by a {@link SplittableRandom} seeded with
 * {@code seed ⊕ golden·(epoch+1)}.
 */
public final class EpochSeededSampler implements Sampler {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private int epoch;

    /**
     * @param batchSize samples per batch, at least 1
     * @param shuffle whether to permute the samples each epoch
     * @param dropLast whether to drop a last, smaller batch
     * @param seed the run's seed
     */
    public EpochSeededSampler(int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    /** Sets the epoch (0-based) the next call of {@link #sample} draws its order for. */
    public synchronized void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /** The epoch the next call of {@link #sample} will use. */
    public synchronized int getEpoch() {
        return epoch;
    }

    /** The sample order of one epoch, as indices into the dataset. */
    public long[] order(long size, int forEpoch) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dataset too large for one epoch order: " + size);
        }
        long[] order = new long[(int) size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(seed ^ (GOLDEN * (forEpoch + 1L)));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int current;
        synchronized (this) {
            current = epoch;
            epoch++;
        }
        long[] order = order(dataset.size(), current);
        int batches = dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public List<Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next * batchSize;
                int to = Math.min(order.length, from + batchSize);
                List<Long> indices = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    indices.add(order[i]);
                }
                next++;
                return indices;
            }
        };
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }
}
