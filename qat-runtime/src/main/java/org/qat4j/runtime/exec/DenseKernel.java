package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * {@code acc_o = bias_o + Σ_j W[o][j]·x_j} on the narrowest exact arithmetic the worst-case analysis
 * allows ({@link Arithmetic#choose}): float32, int32 and float64 run the packed, tiled
 * {@link MatMul} kernels (Vector API when present); int64 runs the long paths below; a layer not
 * proven to fit its declared width runs the checked path (bias first, then j ascending), which throws
 * {@link AccumulatorOverflowException} on the first partial sum outside the declared signed range and
 * is the reference every other path is tested against. The unchecked paths are proven for every
 * order, so they may reorder freely: on int64, batches of 16 or more run in lane blocks (the batch is
 * the innermost loop, which the JIT vectorizes), smaller ones in blocks of four samples over
 * transposed weight rows, then one by one.
 */
final class DenseKernel implements Kernel {
    private final String name;
    private final int in;
    private final int out;
    private final int src;
    private final int dst;
    private final int[] w;
    private final long[] bias;
    private final int[] wT;
    private final long[] wTLong;
    private final int chunk;
    private final int bits;
    private final Arithmetic arithmetic;
    private final MatMul matMul;
    private final int[] gather;

    DenseKernel(DenseOp op, int src, int dst, RangeAnalysis ra) {
        this(op, src, dst, ra, null, true);
    }

    /**
     * @param forced an arithmetic at least as wide as the chosen one (tests), or null for the chosen one
     * @param vector whether the Vector API kernels may be used
     */
    DenseKernel(DenseOp op, int src, int dst, RangeAnalysis ra, Arithmetic forced, boolean vector) {
        this.name = op.name();
        this.in = op.inFeatures();
        this.out = op.outFeatures();
        this.src = src;
        this.dst = dst;
        this.w = op.weights();
        this.bias = op.bias() == null ? new long[out] : op.bias();
        this.bits = op.accumulatorBits();
        Arithmetic chosen = Arithmetic.choose(ra.accumulator(op.name()));
        if (forced != null && forced.compareTo(chosen) < 0) {
            throw new IllegalArgumentException(forced + " is narrower than the proven " + chosen + " for " + name);
        }
        this.arithmetic = forced == null ? chosen : forced;
        boolean packed = arithmetic.compareTo(Arithmetic.FLOAT64) <= 0;
        this.matMul = packed ? MatMul.create(arithmetic, vector, w, bias, out, in) : null;
        // every input kept: the kernel reads the input rows directly, no gather map
        this.gather = packed && matMul.k < in ? matMul.keep : null;
        long[][] xr = ra.range(op.input());
        boolean inputInt = true;
        for (int j = 0; j < in; j++) {
            inputInt &= xr[0][j] >= Integer.MIN_VALUE && xr[1][j] <= Integer.MAX_VALUE;
        }
        // INT64 path: when every single product fits an int, sum int products over chunks of inputs whose worst
        // case fits an int (vectorizable), then add each chunk's sums to the long accumulators
        long maxW = 0;
        for (int v : w) {
            maxW = Math.max(maxW, Math.abs((long) v));
        }
        long maxX = 0;
        for (int j = 0; j < in; j++) {
            maxX = Math.max(maxX, Math.max(Math.abs(Math.max(xr[0][j], -Long.MAX_VALUE)), Math.abs(xr[1][j])));
        }
        long maxProd = maxX == 0 || maxW == 0
                ? 1
                : (maxX > Integer.MAX_VALUE || maxW > Integer.MAX_VALUE / maxX ? -1 : maxW * maxX);
        boolean long64 = arithmetic == Arithmetic.INT64;
        chunk = maxProd < 0 || !inputInt ? 0 : (int) Math.min(in, Integer.MAX_VALUE / maxProd);
        // transposed [in][out] weights for the int64 paths' axpy rows (acc[o] += wT[j][o]·x_j), which the JIT
        // vectorizes
        wT = new int[long64 ? in * out : 0];
        wTLong = new long[long64 ? in * out : 0];
        if (long64) {
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < in; j++) {
                    wT[j * out + o] = w[o * in + j];
                    wTLong[j * out + o] = w[o * in + j];
                }
            }
        }
    }

    Arithmetic chosenArithmetic() {
        return arithmetic;
    }

    @Override
    public String arithmetic() {
        return arithmetic.label() + (matMul != null && matMul.vectorized() ? " vector" : "");
    }

    /**
     * The array type a quantizer fused in front of this layer may write its input in (the packed operand
     * type of its matrix kernel), or null when the layer reads {@code long[]} only.
     */
    Class<?> operandType() {
        return matMul == null ? null : matMul.operandType();
    }

    /** The largest input magnitude {@link #operandType()} holds exactly. */
    long operandLimit() {
        return matMul.operandLimit();
    }

    @Override
    public void run(Object[] env, int batch) {
        long[] y = Workspace.longs(env, dst, batch * out);
        if (matMul != null) {
            // long[] or, after a fused quantizer, the operand type itself
            matMul.run(env[src], in, batch, gather, 1, y);
            return;
        }
        long[] x = (long[]) env[src];
        boolean wide = batch >= MIN_LANES;
        switch (arithmetic) {
            case FLOAT32, INT32, FLOAT64 -> throw new IllegalStateException("packed arithmetic without a kernel");
            case INT64 -> {
                if (wide) {
                    runLongLanes(x, y, batch);
                } else if (batch >= BLOCK && chunk == 0) {
                    runLong(x, y, batch);
                } else if (chunk > 0) {
                    runChunked(x, y, 0, batch);
                } else {
                    runLongSamples(x, y, 0, batch);
                }
            }
            case CHECKED -> runChecked(x, y, batch);
        }
    }

    /** Samples per lane block: the batch is the innermost, unit-stride loop of the lane paths. */
    private static final int LANES = 256;
    /** Smallest batch run on the lane paths; smaller batches run sample by sample. */
    private static final int MIN_LANES = 16;

    /**
     * Batch path on longs: a block of samples is transposed to {@code [in][lanes]} once, then each
     * weight {@code W[o][j]} (zero weights skipped) updates all lanes in one unit-stride loop
     * {@code acc[s] += W[o][j]·x[s][j]} long enough for the JIT to vectorize.
     */
    private void runLongLanes(long[] x, long[] y, int batch) {
        int lanes = Math.min(LANES, batch);
        // one array per input feature: the lane loop then indexes x and acc alike, which C2 vectorizes (an offset index
        // defeats it)
        long[][] xT = new long[in][lanes];
        long[] acc = new long[lanes];
        for (int b0 = 0; b0 < batch; b0 += lanes) {
            int nb = Math.min(lanes, batch - b0);
            for (int s = 0; s < nb; s++) {
                int xo = (b0 + s) * in;
                for (int j = 0; j < in; j++) {
                    xT[j][s] = x[xo + j];
                }
            }
            for (int o = 0; o < out; o++) {
                java.util.Arrays.fill(acc, 0, nb, bias[o]);
                int wo = o * in;
                for (int j = 0; j < in; j++) {
                    long wv = w[wo + j];
                    if (wv == 0) {
                        continue;
                    }
                    long[] xj = xT[j];
                    for (int s = 0; s < nb; s++) {
                        acc[s] += wv * xj[s];
                    }
                }
                for (int s = 0; s < nb; s++) {
                    y[(b0 + s) * out + o] = acc[s];
                }
            }
        }
    }

    /** Samples per pass over the weights: each weight row loaded once feeds this many accumulators. */
    private static final int BLOCK = 4;

    private void runLong(long[] x, long[] y, int batch) {
        // every partial sum provably fits the declared width (≤ 64 bits), in any order: axpy rows on longs
        long[] a0 = new long[out];
        long[] a1 = new long[out];
        long[] a2 = new long[out];
        long[] a3 = new long[out];
        int b = 0;
        for (; b + BLOCK <= batch; b += BLOCK) {
            System.arraycopy(bias, 0, a0, 0, out);
            System.arraycopy(bias, 0, a1, 0, out);
            System.arraycopy(bias, 0, a2, 0, out);
            System.arraycopy(bias, 0, a3, 0, out);
            int xo = b * in;
            for (int j = 0; j < in; j++) {
                long x0 = x[xo + j];
                long x1 = x[xo + in + j];
                long x2 = x[xo + 2 * in + j];
                long x3 = x[xo + 3 * in + j];
                if ((x0 | x1 | x2 | x3) == 0) {
                    continue;
                }
                int row = j * out;
                for (int o = 0; o < out; o++) {
                    long wv = wTLong[row + o];
                    a0[o] += wv * x0;
                    a1[o] += wv * x1;
                    a2[o] += wv * x2;
                    a3[o] += wv * x3;
                }
            }
            int yo = b * out;
            System.arraycopy(a0, 0, y, yo, out);
            System.arraycopy(a1, 0, y, yo + out, out);
            System.arraycopy(a2, 0, y, yo + 2 * out, out);
            System.arraycopy(a3, 0, y, yo + 3 * out, out);
        }
        if (b < batch) {
            if (chunk > 0) {
                runChunked(x, y, b, batch);
            } else {
                runLongSamples(x, y, b, batch);
            }
        }
    }

    /** Samples {@code [from, to)} one at a time on longs. */
    private void runLongSamples(long[] x, long[] y, int from, int to) {
        long[] acc = new long[out];
        for (int b = from; b < to; b++) {
            int xo = b * in;
            System.arraycopy(bias, 0, acc, 0, out);
            for (int j = 0; j < in; j++) {
                long xj = x[xo + j];
                if (xj == 0) {
                    continue;
                }
                int row = j * out;
                for (int o = 0; o < out; o++) {
                    acc[o] += wTLong[row + o] * xj;
                }
            }
            System.arraycopy(acc, 0, y, b * out, out);
        }
    }

    /**
     * Samples {@code [from, to)} one at a time when every single product fits an int: int products summed
     * over chunks of inputs whose worst case fits an int (vectorizable), each chunk then added in long.
     */
    private void runChunked(long[] x, long[] y, int from, int to) {
        long[] acc = new long[out];
        int[] part = new int[out];
        for (int b = from; b < to; b++) {
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
