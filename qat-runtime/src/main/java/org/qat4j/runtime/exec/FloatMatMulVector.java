package org.qat4j.runtime.exec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMatMul} with the Vector API, register-blocked: a tile of four rows times two vectors of
 * output channels keeps eight accumulators in registers across the whole reduction (each weight vector
 * loaded once feeds four rows, each broadcast input two vectors); single rows keep four vectors of
 * channels, or one vector with the inputs split into two interleaved chains, so no loop waits on one
 * add's latency. The inputs run in blocks whose weights fit the L1 cache ({@link MatMul#kBlock}), so a
 * tile of rows reads each weight block from L1, not L2. Exact in any order for the same reason as the scalar kernel: every
 * product and every partial sum is an integer below 2^24, so a fused multiply-add, which rounds
 * the exact w·x + s once, rounds an integer that is already exact: one instruction instead of two.
 * Loaded reflectively, only when {@code jdk.incubator.vector} is present.
 */
final class FloatMatMulVector extends FloatMatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    FloatMatMulVector(int[] weights, long[] bias, int n, int fullK, int[] keep) {
        super(weights, bias, n, fullK, keep);
        if (nPad % S.length() != 0) {
            throw new IllegalStateException("padding " + nPad + " is not a multiple of " + S.length() + " lanes");
        }
    }

    @Override
    boolean vectorized() {
        return true;
    }

    @Override
    void kernel(float[] a, int aOff, int rows, float[] out) {
        // k == 0 (every weight pruned): the block loop below would never write the bias
        if (k == 0 || (long) rows * k * nPad < VECTOR_MIN_WORK) {
            super.kernel(a, aOff, rows, out);
            return;
        }
        int lanes = S.length();
        int kb = kBlock(4);
        // k in blocks whose weights stay in L1 for every row of the tile; the running sums wait in out
        // between blocks (each is a partial sum, proven like any other)
        for (int k0 = 0; k0 < k; k0 += kb) {
            int k1 = Math.min(k, k0 + kb);
            boolean first = k0 == 0;
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int c0 = 0;
                for (; c0 + 2 * lanes <= nPad; c0 += 2 * lanes) {
                    fourRowsTwoVectors(a, aOff + r * k, c0, out, r, k0, k1, first);
                }
                for (; c0 < nPad; c0 += lanes) {
                    fourRowsOneVector(a, aOff + r * k, c0, out, r, k0, k1, first);
                }
            }
            for (; r < rows; r++) {
                int c0 = 0;
                for (; c0 + 4 * lanes <= nPad; c0 += 4 * lanes) {
                    oneRowFourVectors(a, aOff + r * k, c0, out, r, k0, k1, first);
                }
                for (; c0 < nPad; c0 += lanes) {
                    oneRowOneVector(a, aOff + r * k, c0, out, r, k0, k1, first);
                }
            }
        }
    }

    /** The running sums of output row {@code r}, channels from {@code c}: the bias before the first block. */
    private FloatVector start(float[] out, int r, int c, boolean first) {
        return first ? FloatVector.fromArray(S, bias, c) : FloatVector.fromArray(S, out, r * nPad + c);
    }

    private void fourRowsTwoVectors(float[] a, int x0, int c0, float[] out, int r, int k0, int k1, boolean first) {
        int lanes = S.length();
        int x1 = x0 + k;
        int x2 = x1 + k;
        int x3 = x2 + k;
        FloatVector s00 = start(out, r, c0, first);
        FloatVector s01 = start(out, r, c0 + lanes, first);
        FloatVector s10 = start(out, r + 1, c0, first);
        FloatVector s11 = start(out, r + 1, c0 + lanes, first);
        FloatVector s20 = start(out, r + 2, c0, first);
        FloatVector s21 = start(out, r + 2, c0 + lanes, first);
        FloatVector s30 = start(out, r + 3, c0, first);
        FloatVector s31 = start(out, r + 3, c0 + lanes, first);
        for (int kk = k0, wo = k0 * nPad + c0; kk < k1; kk++, wo += nPad) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + lanes);
            float a0 = a[x0 + kk];
            float a1 = a[x1 + kk];
            float a2 = a[x2 + kk];
            float a3 = a[x3 + kk];
            s00 = w0.fma(FloatVector.broadcast(S, a0), s00);
            s01 = w1.fma(FloatVector.broadcast(S, a0), s01);
            s10 = w0.fma(FloatVector.broadcast(S, a1), s10);
            s11 = w1.fma(FloatVector.broadcast(S, a1), s11);
            s20 = w0.fma(FloatVector.broadcast(S, a2), s20);
            s21 = w1.fma(FloatVector.broadcast(S, a2), s21);
            s30 = w0.fma(FloatVector.broadcast(S, a3), s30);
            s31 = w1.fma(FloatVector.broadcast(S, a3), s31);
        }
        int o = r * nPad + c0;
        s00.intoArray(out, o);
        s01.intoArray(out, o + lanes);
        s10.intoArray(out, o + nPad);
        s11.intoArray(out, o + nPad + lanes);
        s20.intoArray(out, o + 2 * nPad);
        s21.intoArray(out, o + 2 * nPad + lanes);
        s30.intoArray(out, o + 3 * nPad);
        s31.intoArray(out, o + 3 * nPad + lanes);
    }

    private void fourRowsOneVector(float[] a, int x0, int c0, float[] out, int r, int k0, int k1, boolean first) {
        int x1 = x0 + k;
        int x2 = x1 + k;
        int x3 = x2 + k;
        FloatVector s0 = start(out, r, c0, first);
        FloatVector s1 = start(out, r + 1, c0, first);
        FloatVector s2 = start(out, r + 2, c0, first);
        FloatVector s3 = start(out, r + 3, c0, first);
        for (int kk = k0, wo = k0 * nPad + c0; kk < k1; kk++, wo += nPad) {
            FloatVector wv = FloatVector.fromArray(S, w, wo);
            s0 = wv.fma(FloatVector.broadcast(S, a[x0 + kk]), s0);
            s1 = wv.fma(FloatVector.broadcast(S, a[x1 + kk]), s1);
            s2 = wv.fma(FloatVector.broadcast(S, a[x2 + kk]), s2);
            s3 = wv.fma(FloatVector.broadcast(S, a[x3 + kk]), s3);
        }
        int o = r * nPad + c0;
        s0.intoArray(out, o);
        s1.intoArray(out, o + nPad);
        s2.intoArray(out, o + 2 * nPad);
        s3.intoArray(out, o + 3 * nPad);
    }

    private void oneRowFourVectors(float[] a, int x0, int c0, float[] out, int r, int k0, int k1, boolean first) {
        int lanes = S.length();
        FloatVector s0 = start(out, r, c0, first);
        FloatVector s1 = start(out, r, c0 + lanes, first);
        FloatVector s2 = start(out, r, c0 + 2 * lanes, first);
        FloatVector s3 = start(out, r, c0 + 3 * lanes, first);
        for (int kk = k0, wo = k0 * nPad + c0; kk < k1; kk++, wo += nPad) {
            float av = a[x0 + kk];
            s0 = FloatVector.fromArray(S, w, wo).fma(FloatVector.broadcast(S, av), s0);
            s1 = FloatVector.fromArray(S, w, wo + lanes).fma(FloatVector.broadcast(S, av), s1);
            s2 = FloatVector.fromArray(S, w, wo + 2 * lanes).fma(FloatVector.broadcast(S, av), s2);
            s3 = FloatVector.fromArray(S, w, wo + 3 * lanes).fma(FloatVector.broadcast(S, av), s3);
        }
        int o = r * nPad + c0;
        s0.intoArray(out, o);
        s1.intoArray(out, o + lanes);
        s2.intoArray(out, o + 2 * lanes);
        s3.intoArray(out, o + 3 * lanes);
    }

    /** Even and odd inputs in two chains, added at the end: each chain's sums are partial sums too, so proven. */
    private void oneRowOneVector(float[] a, int x0, int c0, float[] out, int r, int k0, int k1, boolean first) {
        FloatVector s0 = start(out, r, c0, first);
        FloatVector s1 = FloatVector.zero(S);
        int kk = k0;
        int wo = k0 * nPad + c0;
        for (; kk + 2 <= k1; kk += 2, wo += 2 * nPad) {
            s0 = FloatVector.fromArray(S, w, wo).fma(FloatVector.broadcast(S, a[x0 + kk]), s0);
            s1 = FloatVector.fromArray(S, w, wo + nPad).fma(FloatVector.broadcast(S, a[x0 + kk + 1]), s1);
        }
        if (kk < k1) {
            s0 = FloatVector.fromArray(S, w, wo).fma(FloatVector.broadcast(S, a[x0 + kk]), s0);
        }
        s0.add(s1).intoArray(out, r * nPad + c0);
    }
}
