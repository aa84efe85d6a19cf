package org.qat4j.export.c;

import java.util.Arrays;

/**
 * The window geometry of a conv or pool op as two axes (rows, columns), a 1-D op being a 2-D one of
 * height 1, so the C writers emit one loop nest for both ranks. Output lengths are the output tensor's,
 * which {@code ConvOp}/{@code PoolOp} computed with the runtime's {@code Shapes.windowOutput}; nothing
 * here re-derives them.
 *
 * @param h the row axis (length 1 for a 1-D op)
 * @param w the column axis
 */
record CWindow(Axis h, Axis w) {
    /**
     * One spatial axis: input position of output {@code q}, tap {@code k} is
     * {@code q·stride + k·dilation − padding}.
     */
    record Axis(int in, int out, int kernel, int stride, int padding, int dilation) {
        /** Input offset {@code k·dilation − padding} of tap {@code k} at output position 0. */
        long offset(int k) {
            return (long) k * dilation - padding;
        }

        /** Smallest output index q ≥ 0 with q·stride + d ≥ 0. */
        long firstInside(long d) {
            return d >= 0 ? 0 : (-d + stride - 1) / stride;
        }

        /** One past the largest output index q &lt; out with q·stride + d ≤ in − 1 (at least the first). */
        long endInside(long d) {
            long last = in - 1 - d;
            long end = last < 0 ? 0 : Math.min(out, last / stride + 1);
            return Math.max(end, firstInside(d));
        }
    }

    /** Per-sample channels-first shapes {@code [C, L]} or {@code [C, H, W]}; per-axis hyper-parameters of rank 1 or 2. */
    static CWindow of(int[] inShape, int[] outShape, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        if (kernel.length == 1) {
            return new CWindow(
                    new Axis(1, 1, 1, 1, 0, 1),
                    new Axis(inShape[1], outShape[1], kernel[0], stride[0], padding[0], dilation[0]));
        }
        return new CWindow(
                new Axis(inShape[1], outShape[1], kernel[0], stride[0], padding[0], dilation[0]),
                new Axis(inShape[2], outShape[2], kernel[1], stride[1], padding[1], dilation[1]));
    }

    /** An unpadded, undilated window (pooling). */
    static CWindow unpadded(int[] inShape, int[] outShape, int[] window, int[] stride) {
        int[] zero = new int[window.length];
        int[] one = new int[window.length];
        Arrays.fill(one, 1);
        return of(inShape, outShape, window, stride, zero, one);
    }
}
