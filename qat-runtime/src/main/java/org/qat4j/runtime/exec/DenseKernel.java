package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * {@code acc_o = bias_o + Σ_j W[o][j]·x_j}. Three paths, chosen once at compile time from the
 * worst-case analysis: 32-bit accumulation when every partial sum provably fits an int (the JIT
 * vectorizes it), 64-bit accumulation when every partial sum provably fits the declared width, and a
 * checked path (bias first, then j ascending) that throws {@link AccumulatorOverflowException} on
 * the first partial sum outside the declared signed range.
 */
final class DenseKernel implements Kernel {
    private final String name;
    private final int in;
    private final int out;
    private final int src;
    private final int dst;
    private final int[] w;
    private final long[] bias;
    private final int[] biasInt;
    private final int[] wT;
    private final int chunk;
    private final int bits;
    private final Path path;

    enum Path { INT, LONG, CHECKED }

    DenseKernel(DenseOp op, int src, int dst, RangeAnalysis ra) {
        this.name = op.name();
        this.in = op.inFeatures();
        this.out = op.outFeatures();
        this.src = src;
        this.dst = dst;
        this.w = op.weights();
        this.bias = op.bias();
        this.bits = op.accumulatorBits();
        RangeAnalysis.Accumulator a = ra.accumulator(op.name());
        long[][] xr = ra.range(op.input());
        boolean inputInt = true;
        for (int j = 0; j < in; j++) {
            inputInt &= xr[0][j] >= Integer.MIN_VALUE && xr[1][j] <= Integer.MAX_VALUE;
        }
        if (!a.fitsDeclared()) {
            path = Path.CHECKED;
        } else if (inputInt && a.fitsInt()) {
            path = Path.INT;
        } else {
            path = Path.LONG;
        }
        // LONG path: when every single product fits an int, sum int products over chunks of inputs whose worst
        // case fits an int (vectorizable), then add each chunk's sums to the long accumulators
        long maxW = 0;
        for (int v : w) {
            maxW = Math.max(maxW, Math.abs((long) v));
        }
        long maxX = 0;
        for (int j = 0; j < in; j++) {
            maxX = Math.max(maxX, Math.max(Math.abs(Math.max(xr[0][j], -Long.MAX_VALUE)), Math.abs(xr[1][j])));
        }
        long maxProd = maxX == 0 || maxW == 0 ? 1 : (maxX > Integer.MAX_VALUE || maxW > Integer.MAX_VALUE / maxX ? -1 : maxW * maxX);
        chunk = maxProd < 0 || !inputInt ? 0 : (int) Math.min(in, Integer.MAX_VALUE / maxProd);
        biasInt = new int[out];
        // transposed [in][out] weights: the int path runs axpy rows (acc[o] += wT[j][o]·x_j), which the JIT vectorizes
        wT = new int[path != Path.CHECKED ? in * out : 0];
        if (path != Path.CHECKED) {
            for (int o = 0; o < out; o++) {
                biasInt[o] = path == Path.INT ? (int) bias[o] : 0;
                for (int j = 0; j < in; j++) {
                    wT[j * out + o] = w[o * in + j];
                }
            }
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void run(Object[] env, int batch) {
        long[] x = (long[]) env[src];
        long[] y = new long[batch * out];
        switch (path) {
            case INT -> runInt(x, y, batch);
            case LONG -> runLong(x, y, batch);
            case CHECKED -> runChecked(x, y, batch);
        }
        env[dst] = y;
    }

    private void runInt(long[] x, long[] y, int batch) {
        // every partial sum provably fits an int, in any order: the row order here changes nothing
        int[] acc = new int[out];
        for (int b = 0; b < batch; b++) {
            int xo = b * in;
            System.arraycopy(biasInt, 0, acc, 0, out);
            for (int j = 0; j < in; j++) {
                int xj = (int) x[xo + j];
                if (xj == 0) {
                    continue;
                }
                int row = j * out;
                for (int o = 0; o < out; o++) {
                    acc[o] += wT[row + o] * xj;
                }
            }
            int yo = b * out;
            for (int o = 0; o < out; o++) {
                y[yo + o] = acc[o];
            }
        }
    }

    private void runLong(long[] x, long[] y, int batch) {
        if (chunk > 0) {
            runChunked(x, y, batch);
            return;
        }
        // every partial sum provably fits the declared width (≤ 64 bits), in any order: axpy rows on longs
        long[] acc = new long[out];
        for (int b = 0; b < batch; b++) {
            int xo = b * in;
            System.arraycopy(bias, 0, acc, 0, out);
            for (int j = 0; j < in; j++) {
                long xj = x[xo + j];
                if (xj == 0) {
                    continue;
                }
                int row = j * out;
                for (int o = 0; o < out; o++) {
                    acc[o] += wT[row + o] * xj;
                }
            }
            System.arraycopy(acc, 0, y, b * out, out);
        }
    }

    private void runChunked(long[] x, long[] y, int batch) {
        long[] acc = new long[out];
        int[] part = new int[out];
        for (int b = 0; b < batch; b++) {
            int xo = b * in;
            System.arraycopy(bias, 0, acc, 0, out);
            for (int j0 = 0; j0 < in; j0 += chunk) {
                int j1 = Math.min(in, j0 + chunk);
                java.util.Arrays.fill(part, 0);
                for (int j = j0; j < j1; j++) {
                    int xj = (int) x[xo + j];
                    if (xj == 0) {
                        continue;
                    }
                    int row = j * out;
                    for (int o = 0; o < out; o++) {
                        part[o] += wT[row + o] * xj;
                    }
                }
                for (int o = 0; o < out; o++) {
                    acc[o] += part[o];
                }
            }
            System.arraycopy(acc, 0, y, b * out, out);
        }
    }

    private void runChecked(long[] x, long[] y, int batch) {
        long lo = bits >= 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        long hi = bits >= 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                long acc = bias[o];
                if (acc < lo || acc > hi) {
                    throw new AccumulatorOverflowException(name, b, o, acc, bits);
                }
                for (int j = 0; j < in; j++) {
                    try {
                        acc = Math.addExact(acc, Math.multiplyExact((long) w[o * in + j], x[b * in + j]));
                    } catch (ArithmeticException e) {
                        throw new AccumulatorOverflowException(name, b, o, acc, 64);
                    }
                    if (acc < lo || acc > hi) {
                        throw new AccumulatorOverflowException(name, b, o, acc, bits);
                    }
                }
                y[b * out + o] = acc;
            }
        }
    }
}
