package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * Runs an {@link EmbeddingOp}: {@code y_d = Σ_{l : 0 ≤ idx_l < R} v[idx_l][d]} over the decoded table
 * (row-wise 4-bit embedding tables, arXiv 1911.02079 §3). Rows are added in position order; when the
 * worst case is not proven to fit the declared P bits every partial sum is checked (overflow-checked
 * long, then the P-bit range) and an overflow throws {@link AccumulatorOverflowException}.
 */
final class EmbeddingKernel implements Kernel {
    private final String name;
    private final long[] table;
    private final int rows;
    private final int dim;
    private final int positions;
    private final int bits;
    private final boolean proven;
    private final int src;
    private final int dst;

    EmbeddingKernel(EmbeddingOp op, int positions, RangeAnalysis ra, int src, int dst) {
        this.name = op.name();
        this.table = op.decoded();
        this.rows = op.rows();
        this.dim = op.dim();
        this.positions = positions;
        this.bits = op.accumulatorBits();
        this.proven = ra.accumulator(op.name()).fitsDeclared();
        this.src = src;
        this.dst = dst;
    }

    @Override
    public void run(Object[] env, int batch) {
        long[] idx = (long[]) env[src];
        long[] out = new long[batch * dim];
        long lo = bits >= 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        long hi = bits >= 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        for (int b = 0; b < batch; b++) {
            int o = b * dim;
            for (int l = 0; l < positions; l++) {
                long r = idx[b * positions + l];
                if (r < 0 || r >= rows) {
                    continue;
                }
                int row = (int) r * dim;
                if (proven) {
                    for (int d = 0; d < dim; d++) {
                        out[o + d] += table[row + d];
                    }
                } else {
                    for (int d = 0; d < dim; d++) {
                        long v;
                        try {
                            v = Math.addExact(out[o + d], table[row + d]);
                        } catch (ArithmeticException e) {
                            throw new AccumulatorOverflowException(name, b, d, out[o + d], 64);
                        }
                        if (v < lo || v > hi) {
                            throw new AccumulatorOverflowException(name, b, d, v, bits);
                        }
                        out[o + d] = v;
                    }
                }
            }
        }
        env[dst] = out;
    }

    @Override
    public String arithmetic() {
        return proven ? "long" : "checked long";
    }
}
