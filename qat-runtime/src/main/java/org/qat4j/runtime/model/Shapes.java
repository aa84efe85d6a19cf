package org.qat4j.runtime.model;

import java.util.Arrays;

/** Shape arithmetic with overflow checks; sizes are per sample (no batch axis). */
public final class Shapes {
    /** Largest element count accepted for one per-sample tensor or stored array (2^24): bounds the memory a hostile file can make the runtime allocate. */
    public static final int MAX_ELEMENTS = 1 << 24;

    private Shapes() {}

    /** Element count of {@code shape}, rejecting negative dimensions and counts above {@link #MAX_ELEMENTS}. */
    public static int numel(int[] shape, String field) {
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new ModelFormatException(
                        field + ": dimension " + d + " in shape " + toString(shape) + " must be positive");
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new ModelFormatException(
                        field + ": shape " + toString(shape) + " has more than " + MAX_ELEMENTS + " elements");
            }
        }
        return (int) n;
    }

    /** {@code [a, b, c]}. */
    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * Output length of a convolution or pooling window along one axis, the one place of the formula
     * {@code ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1} (ceil mode off; Java's
     * truncating division, as every caller had it). Not validated: callers that read a file use
     * {@link #windowOutput}.
     */
    public static long windowOutputLength(long in, long kernel, long stride, long padding, long dilation) {
        return (in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
    }

    /** Output length of a convolution or pooling window along one axis, validated (a model file's field). */
    public static int windowOutput(int in, int kernel, int stride, int padding, int dilation, String field) {
        long span = (long) dilation * (kernel - 1) + 1;
        long out = windowOutputLength(in, kernel, stride, padding, dilation);
        if ((long) in + 2L * padding < span || out <= 0) {
            throw new ModelFormatException(field + ": input length " + in + " with padding " + padding
                    + " is shorter than the window span " + span);
        }
        return (int) out;
    }
}
