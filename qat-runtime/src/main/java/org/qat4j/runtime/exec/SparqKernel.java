package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.SparqOp;

/**
 * Runs a {@link SparqOp} (SPARQ, arXiv 2105.11010 §3): t tabulated over {@code [0, 2^N)}; with vSPARQ pairs
 * {@code (2c, 2c+1)} along axis 0 pass unchanged when either is zero and are both trimmed otherwise; an unpaired
 * last channel passes unchanged. The range analysis proved every input within {@code [0, 2^N − 1]} before this
 * kernel was built; an index outside the table would still throw rather than compute something else.
 */
final class SparqKernel implements Kernel {
    private final long[] table;
    private final boolean pairs;
    private final int numel;
    private final int channels;
    private final int per;
    private final int src;
    private final int dst;

    SparqKernel(SparqOp op, int[] shape, int numel, int src, int dst) {
        this.table = op.window().table();
        this.pairs = op.pairs();
        this.numel = numel;
        this.channels = shape[0];
        this.per = numel / channels;
        this.src = src;
        this.dst = dst;
    }

    @Override
    public void run(Object[] env, int batch) {
        long[] x = (long[]) env[src];
        long[] y = new long[batch * numel];
        for (int b = 0; b < batch; b++) {
            int base = b * numel;
            if (!pairs) {
                for (int e = base; e < base + numel; e++) {
                    y[e] = trim(x[e]);
                }
                continue;
            }
            int c = 0;
            for (; c + 1 < channels; c += 2) {
                int first = base + c * per;
                int second = first + per;
                for (int i = 0; i < per; i++) {
                    long a = x[first + i];
                    long s = x[second + i];
                    if (a == 0 || s == 0) {
                        y[first + i] = a;
                        y[second + i] = s;
                    } else {
                        y[first + i] = trim(a);
                        y[second + i] = trim(s);
                    }
                }
            }
            if (c < channels) {
                System.arraycopy(x, base + c * per, y, base + c * per, per);
            }
        }
        env[dst] = y;
    }

    private long trim(long v) {
        if (v < 0 || v >= table.length) {
            throw new IllegalStateException(
                    "sparq: input " + v + " outside the proven range [0, " + (table.length - 1) + "]");
        }
        return table[(int) v];
    }
}
