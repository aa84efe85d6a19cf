package org.qat4j.runtime.model;

import java.util.Map;

/**
 * The combination step of a {@link MultipointDenseOp} (the prover's and runtime's side; the checker has
 * its own code): with point values {@code a_r ∈ [lo_r, hi_r]} (the full sums of the point rows), channel
 * {@code o}'s terms are the bias and {@code m_r · a_r ∈ [min(m_r·lo_r, m_r·hi_r), max(…)]}; every partial
 * sum lies in {@code [Σ min(0, t⁻), Σ max(0, t⁺)]}, the output in {@code [Σ t⁻, Σ t⁺]} (exact,
 * overflow-checked long arithmetic).
 */
final class MultipointRanges {
    private MultipointRanges() {}

    /** Output ranges of the combination; registers its accumulator under the op's name. */
    static long[][] combine(MultipointDenseOp m, long[][] a, Map<String, RangeAnalysis.Accumulator> acc) {
        int n = m.outFeatures();
        int[] start = m.rowStarts();
        long[] mult = m.multipliers();
        long[] bias = m.bias();
        long[] lo = new long[n];
        long[] hi = new long[n];
        long[] pmin = new long[n];
        long[] pmax = new long[n];
        for (int o = 0; o < n; o++) {
            long sLo = bias[o];
            long sHi = bias[o];
            long pLo = Math.min(0, bias[o]);
            long pHi = Math.max(0, bias[o]);
            for (int r = start[o]; r < start[o + 1]; r++) {
                long x = Math.multiplyExact(mult[r], a[0][r]);
                long y = Math.multiplyExact(mult[r], a[1][r]);
                long tLo = Math.min(x, y);
                long tHi = Math.max(x, y);
                sLo = Math.addExact(sLo, tLo);
                sHi = Math.addExact(sHi, tHi);
                pLo = Math.addExact(pLo, Math.min(0, tLo));
                pHi = Math.addExact(pHi, Math.max(0, tHi));
            }
            lo[o] = sLo;
            hi[o] = sHi;
            pmin[o] = pLo;
            pmax[o] = pHi;
        }
        acc.put(m.name(), new RangeAnalysis.Accumulator(m.name(), m.accumulatorBits(), pmin, pmax));
        return new long[][] {lo, hi};
    }
}
