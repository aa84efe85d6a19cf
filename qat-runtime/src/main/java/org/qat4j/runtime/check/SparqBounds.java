package org.qat4j.runtime.check;

import java.util.HashMap;
import java.util.Map;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.SparqOp;

/**
 * The checker's own ranges of a {@code sparq} op (SPARQ, arXiv 2105.11010 §3), by enumeration instead of the
 * prover's monotonicity argument: for every element it walks every input value of its range, trims it with its own
 * code (the first allowed shift s, ascending, with {@code x < 2^(s + n)}; quotient and remainder by {@code 2^s};
 * round up when the remainder is at least {@code 2^(s − 1)}, at most {@code 2^n − 1}) and takes the hull with the
 * untrimmed range where vSPARQ may keep the value (pairs on and the partner along axis 0 may be 0, or no partner).
 * Inputs outside {@code [0, 2^N − 1]} FAIL: the op is defined for unsigned N-bit activations only.
 */
final class SparqBounds {
    private SparqBounds() {}

    static long[][] of(SparqOp q, int[] shape, long[][] x, CheckFindings findings) {
        int n = x[0].length;
        long top = (1L << q.inputBits()) - 1;
        for (int e = 0; e < n; e++) {
            if (x[0][e] < 0 || x[1][e] > top) {
                findings.problem(
                        CheckReport.Kind.FAILS,
                        q.name(),
                        -1,
                        "input element " + e + " ranges over [" + x[0][e] + ", " + x[1][e] + "], outside the unsigned "
                                + q.inputBits() + "-bit range sparq serves");
                // the verdict fails; later layers are still checked against the untrimmed ranges widened to [0, 2^N −
                // 1]
                long[][] widened = new long[2][n];
                for (int j = 0; j < n; j++) {
                    widened[0][j] = Math.min(0, x[0][j]);
                    widened[1][j] = Math.max(top, x[1][j]);
                }
                return widened;
            }
        }
        Map<Long, long[]> cache = new HashMap<>();
        int channels = shape[0];
        int per = n / channels;
        long[][] r = new long[2][n];
        for (int e = 0; e < n; e++) {
            int c = e / per;
            int partner = c % 2 == 0 ? c + 1 : c - 1;
            boolean paired = partner < channels;
            long partnerLo = paired ? x[0][partner * per + e % per] : 0;
            long partnerHi = paired ? x[1][partner * per + e % per] : 0;
            boolean mayKeep = q.pairs() && (!paired || partnerLo == 0);
            boolean mayTrim = !q.pairs() || (paired && partnerHi != 0);
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            if (mayKeep) {
                lo = x[0][e];
                hi = x[1][e];
            }
            if (mayTrim) {
                long from = x[0][e];
                long to = x[1][e];
                long[] t = cache.computeIfAbsent(from * (top + 1) + to, k -> trimmedHull(q, from, to));
                lo = Math.min(lo, t[0]);
                hi = Math.max(hi, t[1]);
            }
            r[0][e] = lo;
            r[1][e] = hi;
        }
        return r;
    }

    private static long[] trimmedHull(SparqOp q, long from, long to) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long v = from; v <= to; v++) {
            long t = trim(q, v);
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
        }
        return new long[] {lo, hi};
    }

    static long trim(SparqOp q, long v) {
        int[] shifts = q.placements();
        int s = shifts[shifts.length - 1];
        for (int p : shifts) {
            if (v < (1L << (p + q.windowBits()))) {
                s = p;
                break;
            }
        }
        long unit = 1L << s;
        long w = v / unit;
        long rem = v % unit;
        if (q.rounding() && s > 0 && rem >= unit / 2 && w < (1L << q.windowBits()) - 1) {
            w++;
        }
        return w * unit;
    }
}
