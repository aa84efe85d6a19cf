package org.qat4j.ptq.calib;

import java.util.Arrays;

/**
 * A bounded, deterministic sample of a tensor's values collected over calibration batches, for the clip
 * criteria of {@link ClipRule}: every value is kept until {@code capacity} is reached, after that every
 * {@code stride}-th value, the stride doubling whenever the buffer fills (so the sample stays spread over all
 * batches, and the running maximum is tracked exactly for min-max).
 */
public final class ValueSample {

    private final int capacity;
    private double[] values;
    private int size;
    private long seen;
    private long stride = 1;
    private double max = Double.NEGATIVE_INFINITY;
    private double min = Double.POSITIVE_INFINITY;

    /** @param capacity the most values kept (≥ 2) */
    public ValueSample(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be >= 2, got " + capacity);
        }
        this.capacity = capacity;
        this.values = new double[Math.min(capacity, 1 << 16)];
    }

    /** Adds a batch of values. */
    public void add(float[] batch) {
        for (float f : batch) {
            max = Math.max(max, f);
            min = Math.min(min, f);
            if (seen++ % stride != 0) {
                continue;
            }
            if (size == capacity) {
                // keep every other value and halve the sampling rate
                for (int i = 0; i < size / 2; i++) {
                    values[i] = values[2 * i];
                }
                size /= 2;
                stride *= 2;
                if ((seen - 1) % stride != 0) {
                    continue;
                }
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.min(capacity, values.length * 2));
            }
            values[size++] = f;
        }
    }

    /** The sampled values, with the exact minimum and maximum included. */
    public double[] values() {
        if (seen == 0) {
            throw new IllegalStateException("no values were added");
        }
        double[] out = Arrays.copyOf(values, size + 2);
        out[size] = min;
        out[size + 1] = max;
        return out;
    }

    /** Number of values added. */
    public long seen() {
        return seen;
    }
}
