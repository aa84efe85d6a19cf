package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * Direct convolution, groups = 1, zero padding; 1-D runs as 2-D with height 1. Accumulation order
 * per output element: bias, then input channel, kernel row, kernel column ascending (padded taps
 * skipped). Arithmetic as in {@link DenseKernel}: float32, int32 and float64 gather each sample's
 * patches (im2col, pruned taps dropped) and run the packed {@link MatMul} kernels; int64 runs the long
 * paths (batches of 16 or more in lane blocks, the batch innermost); a layer not proven within its
 * declared width is checked after every partial sum (the reference the other paths are tested against).
 */
final class ConvKernel implements Kernel {
    private final String name;
    private final int src;
    private final int dst;
    private final int cin;
    private final int cout;
    private final int ih;
    private final int iw;
    private final int oh;
    private final int ow;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int ph;
    private final int pw;
    private final int dh;
    private final int dw;
    private final int[] w;
    private final long[] bias;
    private final int bits;
    private final boolean checked;
    private final Arithmetic arithmetic;
    private final MatMul matMul;
    private final int[] patches;

    ConvKernel(ConvOp op, int[] inShape, int[] outShape, int src, int dst, RangeAnalysis ra) {
        this(op, inShape, outShape, src, dst, ra, null, true);
    }

    /**
     * @param forced an arithmetic at least as wide as the chosen one (tests), or null for the chosen one
     * @param vector whether the Vector API kernels may be used
     */
    ConvKernel(
            ConvOp op,
            int[] inShape,
            int[] outShape,
            int src,
            int dst,
            RangeAnalysis ra,
            Arithmetic forced,
            boolean vector) {
        this.name = op.name();
        this.src = src;
        this.dst = dst;
        this.cin = op.inChannels();
        this.cout = op.outChannels();
        boolean one = op.kernel().length == 1;
        this.ih = one ? 1 : inShape[1];
        this.iw = one ? inShape[1] : inShape[2];
        this.oh = one ? 1 : outShape[1];
        this.ow = one ? outShape[1] : outShape[2];
        this.kh = one ? 1 : op.kernel()[0];
        this.kw = one ? op.kernel()[0] : op.kernel()[1];
        this.sh = one ? 1 : op.stride()[0];
        this.sw = one ? op.stride()[0] : op.stride()[1];
        this.ph = one ? 0 : op.padding()[0];
        this.pw = one ? op.padding()[0] : op.padding()[1];
        this.dh = one ? 1 : op.dilation()[0];
        this.dw = one ? op.dilation()[0] : op.dilation()[1];
        this.w = op.weights();
        this.bias = op.bias();
        this.bits = op.accumulatorBits();
        Arithmetic chosen = Arithmetic.choose(ra.accumulator(op.name()));
        if (forced != null && forced.compareTo(chosen) < 0) {
            throw new IllegalArgumentException(forced + " is narrower than the proven " + chosen + " for " + name);
        }
        this.arithmetic = forced == null ? chosen : forced;
        this.checked = arithmetic == Arithmetic.CHECKED;
        boolean packed = arithmetic.compareTo(Arithmetic.FLOAT64) <= 0;
        this.matMul = packed ? MatMul.create(arithmetic, vector, w, bias, cout, cin * kh * kw) : null;
        this.patches = packed ? patches(matMul.keep) : null;
    }

    /** {@code [oh·ow][k]}: the input element each kept tap (c, ky, kx) reads at each output position, −1 in the padding. */
    private int[] patches(int[] keep) {
        int k = keep.length;
        int[] map = new int[oh * ow * k];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int mo = (oy * ow + ox) * k;
                for (int t = 0; t < k; t++) {
                    int tap = keep[t];
                    int c = tap / (kh * kw);
                    int ky = tap / kw % kh;
                    int kx = tap % kw;
                    int iy = oy * sh - ph + ky * dh;
                    int ix = ox * sw - pw + kx * dw;
                    map[mo + t] = iy < 0 || iy >= ih || ix < 0 || ix >= iw ? -1 : (c * ih + iy) * iw + ix;
                }
            }
        }
        return map;
    }

    @Override
    public String arithmetic() {
        return arithmetic.label() + (matMul != null && matMul.vectorized() ? " vector" : "");
    }

    Arithmetic chosenArithmetic() {
        return arithmetic;
    }

    /** Samples per lane block of the batch paths. */
    private static final int LANES = 256;
    /** Smallest batch run on the lane paths. */
    private static final int MIN_LANES = 16;

    @Override
    public void run(Object[] env, int batch) {
        if (matMul != null) {
            long[] y = Workspace.longs(env, dst, batch * cout * oh * ow);
            matMul.run((long[]) env[src], cin * ih * iw, batch, patches, oh * ow, y);
            env[dst] = y;
            return;
        }
        if (!checked && batch >= MIN_LANES) {
            long[] x = (long[]) env[src];
            long[] y = new long[batch * cout * oh * ow];
            runLongLanes(x, y, batch);
            env[dst] = y;
            return;
        }
        long[] x = (long[]) env[src];
        int inPer = cin * ih * iw;
        int outPer = cout * oh * ow;
        long[] y = new long[batch * outPer];
        long lo = bits >= 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        long hi = bits >= 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        int taps = cin * kh * kw;
        for (int b = 0; b < batch; b++) {
            int xo = b * inPer;
            for (int o = 0; o < cout; o++) {
                int wo = o * taps;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        long v;
                        if (!checked) {
                            v = dotLong(x, xo, wo, oy, ox, bias[o]);
                        } else {
                            v = dotChecked(x, xo, wo, oy, ox, bias[o], lo, hi, b, o);
                        }
                        y[b * outPer + (o * oh + oy) * ow + ox] = v;
                    }
                }
            }
        }
        env[dst] = y;
    }

    /**
     * Batch path on longs (valid because every order is proven safe): a block of samples is transposed
     * so that each input position holds one array of lanes; each output position then accumulates
     * {@code acc[s] += w · x_s[position]} over its non-zero, in-bounds taps in unit-stride loops the JIT
     * vectorizes.
     */
    private void runLongLanes(long[] x, long[] y, int batch) {
        int inPer = cin * ih * iw;
        int outPer = cout * oh * ow;
        int lanes = Math.min(LANES, batch);
        long[][] xT = new long[inPer][lanes];
        long[] acc = new long[lanes];
        int taps = cin * kh * kw;
        for (int b0 = 0; b0 < batch; b0 += lanes) {
            int nb = Math.min(lanes, batch - b0);
            for (int s = 0; s < nb; s++) {
                int xo = (b0 + s) * inPer;
                for (int e = 0; e < inPer; e++) {
                    xT[e][s] = x[xo + e];
                }
            }
            for (int o = 0; o < cout; o++) {
                int wo = o * taps;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        java.util.Arrays.fill(acc, 0, nb, bias[o]);
                        for (int c = 0; c < cin; c++) {
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = oy * sh - ph + ky * dh;
                                if (iy < 0 || iy >= ih) {
                                    continue;
                                }
                                int row = (c * ih + iy) * iw;
                                int wr = wo + (c * kh + ky) * kw;
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = ox * sw - pw + kx * dw;
                                    long wv = w[wr + kx];
                                    if (ix < 0 || ix >= iw || wv == 0) {
                                        continue;
                                    }
                                    long[] xa = xT[row + ix];
                                    for (int s = 0; s < nb; s++) {
                                        acc[s] += wv * xa[s];
                                    }
                                }
                            }
                        }
                        int e = (o * oh + oy) * ow + ox;
                        for (int s = 0; s < nb; s++) {
                            y[(b0 + s) * outPer + e] = acc[s];
                        }
                    }
                }
            }
        }
    }

    private long dotLong(long[] x, int xo, int wo, int oy, int ox, long acc) {
        for (int c = 0; c < cin; c++) {
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sh - ph + ky * dh;
                if (iy < 0 || iy >= ih) {
                    continue;
                }
                int row = xo + (c * ih + iy) * iw;
                int wr = wo + (c * kh + ky) * kw;
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ox * sw - pw + kx * dw;
                    if (ix >= 0 && ix < iw) {
                        acc += w[wr + kx] * x[row + ix];
                    }
                }
            }
        }
        return acc;
    }

    private long dotChecked(long[] x, int xo, int wo, int oy, int ox, long acc, long lo, long hi, int b, int o) {
        if (acc < lo || acc > hi) {
            throw new AccumulatorOverflowException(name, b, o, acc, bits);
        }
        for (int c = 0; c < cin; c++) {
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sh - ph + ky * dh;
                if (iy < 0 || iy >= ih) {
                    continue;
                }
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ox * sw - pw + kx * dw;
                    if (ix < 0 || ix >= iw) {
                        continue;
                    }
                    try {
                        acc = Math.addExact(
                                acc,
                                Math.multiplyExact(
                                        (long) w[wo + (c * kh + ky) * kw + kx], x[xo + (c * ih + iy) * iw + ix]));
                    } catch (ArithmeticException e) {
                        throw new AccumulatorOverflowException(name, b, o, acc, 64);
                    }
                    if (acc < lo || acc > hi) {
                        throw new AccumulatorOverflowException(name, b, o, acc, bits);
                    }
                }
            }
        }
        return acc;
    }
}
