package org.qat4j.runtime.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Worst-case intervals of an {@link EmbeddingOp} (the prover's and runtime's side; the checker has its
 * own code). Position {@code l} with index range {@code [lo_l, hi_l]} reaches rows
 * {@code [max(lo_l, 0), min(hi_l, R − 1)]} and, when {@code lo_l < 0} or {@code hi_l ≥ R}, the empty
 * selection 0; its term for column {@code d} ranges over {@code [t⁻, t⁺]}, the min and max of
 * {@code v[r][d]} over the reachable rows (and 0). Every partial sum, in any order, lies in
 * {@code [Σ min(0, t⁻), Σ max(0, t⁺)]}; the result in {@code [Σ t⁻, Σ t⁺]}.
 */
final class EmbeddingRanges {
    record Result(long[] lo, long[] hi, long[] partialMin, long[] partialMax) {}

    private EmbeddingRanges() {}

    static Result of(EmbeddingOp e, long[][] idx) {
        long[] v = e.decoded();
        int dim = e.dim();
        long[] lo = new long[dim];
        long[] hi = new long[dim];
        long[] pmin = new long[dim];
        long[] pmax = new long[dim];
        Map<String, long[][]> terms = new HashMap<>();
        for (int l = 0; l < idx[0].length; l++) {
            long a = idx[0][l];
            long b = idx[1][l];
            long[][] t = terms.computeIfAbsent(a + ":" + b, k -> terms(v, e.rows(), dim, a, b));
            for (int d = 0; d < dim; d++) {
                lo[d] = Math.addExact(lo[d], t[0][d]);
                hi[d] = Math.addExact(hi[d], t[1][d]);
                pmin[d] = Math.addExact(pmin[d], Math.min(0, t[0][d]));
                pmax[d] = Math.addExact(pmax[d], Math.max(0, t[1][d]));
            }
        }
        return new Result(lo, hi, pmin, pmax);
    }

    private static long[][] terms(long[] v, int rows, int dim, long a, long b) {
        long first = Math.max(a, 0);
        long last = Math.min(b, rows - 1L);
        boolean padding = a < 0 || b >= rows;
        long[] tMin = new long[dim];
        long[] tMax = new long[dim];
        boolean any = padding;
        for (long r = first; r <= last; r++) {
            for (int d = 0; d < dim; d++) {
                long x = v[(int) r * dim + d];
                if (!any) {
                    tMin[d] = x;
                    tMax[d] = x;
                } else {
                    tMin[d] = Math.min(tMin[d], x);
                    tMax[d] = Math.max(tMax[d], x);
                }
            }
            any = true;
        }
        return new long[][] {tMin, tMax};
    }
}
