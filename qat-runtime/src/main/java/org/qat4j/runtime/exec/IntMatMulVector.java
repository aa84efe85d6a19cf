package org.qat4j.runtime.exec;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link IntMatMul} with the Vector API, register-blocked: a tile of four rows times two vectors of
 * output channels keeps eight accumulators in registers across the whole reduction (each weight vector
 * loaded once feeds four rows, each broadcast input two vectors); single rows keep four vectors of
 * channels, or one vector with the inputs split into two interleaved chains, so no loop waits on one
 * add's latency. The inputs run in blocks whose weights fit the L1 cache ({@link MatMul#kBlock}), so a
 * tile of rows reads each weight block from L1, not L2. Exact in any order for the same reason as the scalar kernel: every
 * product and every partial sum fits 32 bits.
 * Loaded reflectively, only when {@code jdk.incubator.vector} is present.
 */
final class IntMatMulVector extends IntMatMul {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;

    IntMatMulVector(int[] weights, long[] bias, int n, int fullK, int[] keep) {
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
    void kernel(int[] a, int aOff, int rows, int[] out) {
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
    private IntVector start(int[] out, int r, int c, boolean first) {
        return first ? IntVector.fromArray(S, bias, c) : IntVector.fromArray(S, out, r * nPad + c);
    }

    private void fourRowsTwoVectors(int[] a, int x0, int c0, int[] out, int r, int k0, int k1, boolean first) {
        int lanes = S.length();
        int x1 = x0 + k;
        int x2 = x1 + k;
        int x3 = x2 + k;
        IntVector s00 = start(out, r, c0, first);
        IntVector s01 = start(out, r, c0 + lanes, first);
        IntVector s10 = start(out, r + 1, c0, first);
        IntVector s11 = start(out, r + 1, c0 + lanes, first);
        IntVector s20 = start(out, r + 2, c0, first);
        IntVector s21 = start(out, r + 2, c0 + lanes, first);
        IntVector s30 = start(out, r + 3, c0, first);
        IntVector s31 = start(out, r + 3, c0 + lanes, first);
        for (int kk = k0, wo = k0 * nPad + c0; kk < k1; kk++, wo += nPad) {
            IntVector w0 = IntVector.fromArray(S, w, wo);
            IntVector w1 = IntVector.fromArray(S, w, wo + lanes);
            int a0 = a[x0 + kk];
            int a1 = a[x1 + kk];
            int a2 = a[x2 + kk];
            int a3 = a[x3 + kk];
            s00 = w0.mul(a0).add(s00);
            s01 = w1.mul(a0).add(s01);
            s10 = w0.mul(a1).add(s10);
            s11 = w1.mul(a1).add(s11);
            s20 = w0.mul(a2).add(s20);
            s21 = w1.mul(a2).add(s21);
            s30 = w0.mul(a3).add(s30);
            s31 = w1.mul(a3).add(s31);
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

    private void fourRowsOneVector(int[] a, int x0, int c0, int[] out, int r, int k0, int k1, boolean first) {
        int x1 = x0 + k;
        int x2 = x1 + k;
        int x3 = x2 + k;
        IntVector s0 = start(out, r, c0, first);
        IntVector s1 = start(out, r + 1, c0, first);
        IntVector s2 = start(out, r + 2, c0, first);
        IntVector s3 = start(out, r + 3, c0, first);
        for (int kk = k0, wo = k0 * nPad + c0; kk < k1; kk++, wo += nPad) {
            IntVector wv = IntVector.fromArray(S, w, wo);
            s0 = wv.mul(a[x0 + kk]).add(s0);
            s1 = wv.mul(a[x1 + kk]).add(s1);
            s2 = wv.mul(a[x2 + kk]).add(s2);
            s3 = wv.mul(a[x3 + kk]).add(s3);
        }
        int o = r * nPad + c0;
        s0.intoArray(out, o);
        s1.intoArray(out, o + nPad);
        s2.intoArray(out, o + 2 * nPad);
        s3.intoArray(out, o + 3 * nPad);
    }

    private void oneRowFourVectors(int[] a, int x0, int c0, int[] out, int r, int k0, int k1, boolean first) {
        int lanes = S.length();
        IntVector s0 = start(out, r, c0, first);
        IntVector s1 = start(out, r, c0 + lanes, first);
        IntVector s2 = start(out, r, c0 + 2 * lanes, first);
        IntVector s3 = start(out, r, c0 + 3 * lanes, first);
        for (int kk = k0, wo = k0 * nPad + c0; kk < k1; kk++, wo += nPad) {
            int av = a[x0 + kk];
            s0 = IntVector.fromArray(S, w, wo).mul(av).add(s0);
            s1 = IntVector.fromArray(S, w, wo + lanes).mul(av).add(s1);
            s2 = IntVector.fromArray(S, w, wo + 2 * lanes).mul(av).add(s2);
            s3 = IntVector.fromArray(S, w, wo + 3 * lanes).mul(av).add(s3);
        }
        int o = r * nPad + c0;
        s0.intoArray(out, o);
        s1.intoArray(out, o + lanes);
        s2.intoArray(out, o + 2 * lanes);
        s3.intoArray(out, o + 3 * lanes);
    }

    /** Even and odd inputs in two chains, added at the end: each chain's sums are partial sums too, so proven. */
    private void oneRowOneVector(int[] a, int x0, int c0, int[] out, int r, int k0, int k1, boolean first) {
        IntVector s0 = start(out, r, c0, first);
        IntVector s1 = IntVector.zero(S);
        int kk = k0;
        int wo = k0 * nPad + c0;
        for (; kk + 2 <= k1; kk += 2, wo += 2 * nPad) {
            s0 = IntVector.fromArray(S, w, wo).mul(a[x0 + kk]).add(s0);
            s1 = IntVector.fromArray(S, w, wo + nPad).mul(a[x0 + kk + 1]).add(s1);
        }
        if (kk < k1) {
            s0 = IntVector.fromArray(S, w, wo).mul(a[x0 + kk]).add(s0);
        }
        s0.add(s1).intoArray(out, r * nPad + c0);
    }
}
