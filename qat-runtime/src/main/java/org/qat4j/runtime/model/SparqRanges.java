package org.qat4j.runtime.model;

import org.qat4j.runtime.fixed.SparqWindow;

/**
 * Ranges of a {@link SparqOp}'s output (the prover's and runtime's side; the checker has its own code). Element
 * {@code e} with input range {@code [lo, hi] ⊆ [0, 2^N − 1]} passes unchanged when vSPARQ may keep it (pairs on and
 * its partner may be 0, or it has no partner) and is trimmed when it may be (pairs off, or its partner may be
 * non-zero); the output range is the hull of {@code [lo, hi]} and {@code [t(lo), t(hi)]} over the possible cases,
 * exact because t is monotone ({@link SparqWindow}). A model whose input range is not within {@code [0, 2^N − 1]}
 * is refused: SPARQ serves unsigned N-bit activations.
 */
final class SparqRanges {
    private SparqRanges() {}

    static long[][] of(SparqOp q, int[] shape, long[][] x) {
        if (x == null) {
            throw new ModelFormatException("op '" + q.name() + "': sparq reads a float tensor");
        }
        SparqWindow t = q.window();
        long max = (1L << q.inputBits()) - 1;
        int n = x[0].length;
        int channels = shape[0];
        int per = n / channels;
        long[] lo = new long[n];
        long[] hi = new long[n];
        for (int e = 0; e < n; e++) {
            if (x[0][e] < 0 || x[1][e] > max) {
                throw new ModelFormatException("op '" + q.name() + "': input element " + e + " ranges over [" + x[0][e]
                        + ", " + x[1][e] + "], not within [0, " + max + "]: sparq serves unsigned " + q.inputBits()
                        + "-bit activations");
            }
        }
        for (int e = 0; e < n; e++) {
            int partnerChannel = (e / per) ^ 1;
            boolean hasPartner = partnerChannel < channels;
            int p = partnerChannel * per + e % per;
            boolean keep = q.pairs() && (!hasPartner || x[0][p] == 0);
            boolean trim = !q.pairs() || (hasPartner && x[1][p] > 0);
            long l = Long.MAX_VALUE;
            long h = Long.MIN_VALUE;
            if (keep) {
                l = x[0][e];
                h = x[1][e];
            }
            if (trim) {
                l = Math.min(l, t.trim(x[0][e]));
                h = Math.max(h, t.trim(x[1][e]));
            }
            lo[e] = l;
            hi[e] = h;
        }
        return new long[][] {lo, hi};
    }
}
