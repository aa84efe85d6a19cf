package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * Runs a {@link MultipointDenseOp} (multipoint quantization, arXiv 2002.09049 §3): the point rows
 * {@code a_r = Σ_j q_r[j]·x_j} run as one {@link DenseKernel} (so they get the narrowest proven arithmetic
 * and, when unproven, the checked path against {@code pointAccumulatorBits}); the combination
 * {@code y_o = bias_o + Σ_i m_r·a_r} then runs on long, checked (bias first, rows ascending, each
 * partial sum against the declared P, throwing {@link AccumulatorOverflowException}) unless the
 * worst case is proven to fit.
 */
final class MultipointKernel implements Kernel {
    private final String name;
    private final DenseKernel points;
    private final int rows;
    private final int out;
    private final int[] start;
    private final long[] mult;
    private final long[] bias;
    private final int bits;
    private final boolean proven;
    private final int src;
    private final int dst;

    MultipointKernel(MultipointDenseOp op, RangeAnalysis ra, int src, int dst) {
        this.name = op.name();
        this.points = new DenseKernel(op.pointsAsDense(), 0, 1, ra);
        this.rows = op.rows();
        this.out = op.outFeatures();
        this.start = op.rowStarts();
        this.mult = op.multipliers();
        this.bias = op.bias();
        this.bits = op.accumulatorBits();
        this.proven = ra.accumulator(op.name()).fitsDeclared();
        this.src = src;
        this.dst = dst;
    }

    @Override
    public void run(Object[] env, int batch) {
        Object[] local = {env[src], null};
        points.run(local, batch);
        long[] a = (long[]) local[1];
        long[] y = new long[batch * out];
        if (proven) {
            for (int b = 0; b < batch; b++) {
                int ar = b * rows;
                for (int o = 0; o < out; o++) {
                    long s = bias[o];
                    for (int r = start[o]; r < start[o + 1]; r++) {
                        s += mult[r] * a[ar + r];
                    }
                    y[b * out + o] = s;
                }
            }
        } else {
            long lo = bits >= 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
            long hi = bits >= 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
            for (int b = 0; b < batch; b++) {
                int ar = b * rows;
                for (int o = 0; o < out; o++) {
                    long s = bias[o];
                    if (s < lo || s > hi) {
                        throw new AccumulatorOverflowException(name, b, o, s, bits);
                    }
                    for (int r = start[o]; r < start[o + 1]; r++) {
                        try {
                            s = Math.addExact(s, Math.multiplyExact(mult[r], a[ar + r]));
                        } catch (ArithmeticException e) {
                            throw new AccumulatorOverflowException(name, b, o, s, 64);
                        }
                        if (s < lo || s > hi) {
                            throw new AccumulatorOverflowException(name, b, o, s, bits);
                        }
                    }
                    y[b * out + o] = s;
                }
            }
        }
        env[dst] = y;
    }

    @Override
    public String arithmetic() {
        return points.arithmetic() + " points, " + (proven ? "long" : "checked long") + " combination";
    }
}
