package org.qat4j.runtime.check;

/**
 * The checker's per-channel sums of one dot product at worst-case inputs, one kernel per arithmetic:
 * each term {@code w·x} with {@code x ∈ [lo, hi]} ranges over {@code [min(w·lo, w·hi), max(w·lo, w·hi)]},
 * and every partial sum, in any order, lies in {@code [Σ min(0, ·), Σ max(0, ·)]} over all terms and the
 * bias. Each kernel writes {@code out = {sLo, sHi, neg, pos, Q⁺, Q⁻, max|w|}} ({@code sLo, sHi}: the
 * output's range; {@code neg, pos}: the partial sums' range; {@code Q⁺ = Σ max(w, 0)},
 * {@code Q⁻ = Σ max(−w, 0)}, arXiv 2401.10432 Eq. 8). Which kernel is exact for a channel is decided by
 * {@link ChannelBound}: {@code int} kernels when its bound is below 2^31, plain {@code long} below
 * 2^62, overflow-checked {@code long} otherwise.
 */
final class ChannelSums {
    private ChannelSums() {}

    /**
     * Branch-free sums, exact because of the pre-check. With {@code w⁺ = max(w, 0)}, {@code w⁻ = min(w, 0)}
     * (one of them is 0): {@code min(w·lo, w·hi) = w⁺·lo + w⁻·hi}, {@code min(that, 0) = w⁺·min(lo, 0) + w⁻·max(hi, 0)},
     * and symmetrically for the maxima, so the loop has no data-dependent branch or 64-bit min/max.
     * out = {sLo, sHi, neg, pos, Q⁺, Q⁻, max|w|}.
     */
    static void sumsPlain(int[] w, int k, long[] lo, long[] hi, long[] loNeg, long[] hiPos, long b, long[] out) {
        long sLo = b;
        long sHi = b;
        long neg = Math.min(0, b);
        long pos = Math.max(0, b);
        long qPos = 0;
        long qNeg = 0;
        int wMin = 0;
        int wMax = 0;
        for (int t = 0; t < k; t++) {
            int wi = w[t];
            long wp = Math.max(wi, 0);
            long wn = Math.min(wi, 0);
            sLo += wp * lo[t] + wn * hi[t];
            sHi += wp * hi[t] + wn * lo[t];
            neg += wp * loNeg[t] + wn * hiPos[t];
            pos += wp * hiPos[t] + wn * loNeg[t];
            qPos += wp;
            qNeg -= wn;
            wMin = Math.min(wMin, wi);
            wMax = Math.max(wMax, wi);
        }
        out[0] = sLo;
        out[1] = sHi;
        out[2] = neg;
        out[3] = pos;
        out[4] = qPos;
        out[5] = qNeg;
        out[6] = Math.max(wMax, -(long) wMin);
    }

    /**
     * {@link #sumsInt} when every tap has the same range {@code [lo, hi]}: with {@code Q⁺ = Σ max(w, 0)}
     * and {@code Q⁻ = Σ max(−w, 0)}, the low sum is {@code lo·Q⁺ − hi·Q⁻}, the high sum {@code hi·Q⁺ − lo·Q⁻},
     * and the negative/positive sums the same with {@code min(lo, 0)}, {@code max(hi, 0)}. {@code Q⁺} and
     * {@code Q⁻} come from {@code Σ w} and {@code Σ |w|} ({@code Q± = (Σ|w| ± Σw) / 2}), summed in
     * {@link ChannelBound}'s pass; the channel's bound keeps them and every product within range.
     */
    static void sumsIntUniform(
            int[] w, int k, int sum, int sumAbs, long lo, long hi, long b, boolean weightRange, long[] out) {
        long qPos = ((long) sumAbs + sum) / 2;
        long qNeg = ((long) sumAbs - sum) / 2;
        long loNeg = Math.min(lo, 0);
        long hiPos = Math.max(hi, 0);
        out[0] = b + lo * qPos - hi * qNeg;
        out[1] = b + hi * qPos - lo * qNeg;
        out[2] = Math.min(0, b) + loNeg * qPos - hiPos * qNeg;
        out[3] = Math.max(0, b) + hiPos * qPos - loNeg * qNeg;
        out[4] = qPos;
        out[5] = qNeg;
        int wMin = 0;
        int wMax = 0;
        for (int t = 0; weightRange && t < k; t++) {
            wMin = Math.min(wMin, w[t]);
            wMax = Math.max(wMax, w[t]);
        }
        out[6] = Math.max(wMax, -(long) wMin);
    }

    /**
     * {@link #sumsInt} when every range contains 0: the negative and positive sums equal the low and
     * high sums (plus the bias's part), so only those two are summed; the weight sums Q⁺, Q⁻ and
     * max|w|, which only constrained (A2Q/A2Q+) layers use, follow in a second loop when asked for.
     */
    static void sumsIntSpanningZero(int[] w, int k, int[] lo, int[] hi, long b, boolean weightSums, long[] out) {
        int sLo = 0;
        int sHi = 0;
        for (int t = 0; t < k; t++) {
            int wi = w[t];
            int wn = Math.min(wi, 0);
            int wp = wi - wn;
            sLo += wp * lo[t] + wn * hi[t];
            sHi += wp * hi[t] + wn * lo[t];
        }
        int qPos = 0;
        int qNeg = 0;
        int wMin = 0;
        int wMax = 0;
        for (int t = 0; weightSums && t < k; t++) {
            int wi = w[t];
            qPos += Math.max(wi, 0);
            qNeg -= Math.min(wi, 0);
            wMin = Math.min(wMin, wi);
            wMax = Math.max(wMax, wi);
        }
        out[0] = b + sLo;
        out[1] = b + sHi;
        out[2] = Math.min(0, b) + sLo;
        out[3] = Math.max(0, b) + sHi;
        out[4] = qPos;
        out[5] = qNeg;
        out[6] = Math.max(wMax, -(long) wMin);
    }

    /**
     * {@link #sumsPlain} in 32-bit arithmetic, used when the pre-check proves every sum of a channel
     * (without its bias) fits an int: the same formulas, which the JIT vectorizes.
     */
    static void sumsInt(int[] w, int k, int[] lo, int[] hi, int[] loNeg, int[] hiPos, long b, long[] out) {
        int sLo = 0;
        int sHi = 0;
        int neg = 0;
        int pos = 0;
        int qPos = 0;
        int qNeg = 0;
        int wMin = 0;
        int wMax = 0;
        for (int t = 0; t < k; t++) {
            int wi = w[t];
            int wp = Math.max(wi, 0);
            int wn = Math.min(wi, 0);
            sLo += wp * lo[t] + wn * hi[t];
            sHi += wp * hi[t] + wn * lo[t];
            neg += wp * loNeg[t] + wn * hiPos[t];
            pos += wp * hiPos[t] + wn * loNeg[t];
            qPos += wp;
            qNeg -= wn;
            wMin = Math.min(wMin, wi);
            wMax = Math.max(wMax, wi);
        }
        out[0] = b + sLo;
        out[1] = b + sHi;
        out[2] = Math.min(0, b) + neg;
        out[3] = Math.max(0, b) + pos;
        out[4] = qPos;
        out[5] = qNeg;
        out[6] = Math.max(wMax, -(long) wMin);
    }

    /** Every product and sum overflow-checked: throws ArithmeticException when a sum leaves the 64-bit range. */
    static void sumsExact(int[] w, int k, long[] lo, long[] hi, long b, long[] out) {
        long sLo = b;
        long sHi = b;
        long neg = Math.min(0, b);
        long pos = Math.max(0, b);
        long qPos = 0;
        long qNeg = 0;
        long maxAbs = 0;
        for (int t = 0; t < k; t++) {
            int wt = w[t];
            if (wt == 0) {
                continue;
            }
            long a1 = Math.multiplyExact((long) wt, lo[t]);
            long a2 = Math.multiplyExact((long) wt, hi[t]);
            long tLo = wt > 0 ? a1 : a2;
            long tHi = wt > 0 ? a2 : a1;
            sLo = Math.addExact(sLo, tLo);
            sHi = Math.addExact(sHi, tHi);
            if (tLo < 0) {
                neg = Math.addExact(neg, tLo);
            }
            if (tHi > 0) {
                pos = Math.addExact(pos, tHi);
            }
            if (wt > 0) {
                qPos += wt;
            } else {
                qNeg -= wt;
            }
            maxAbs = Math.max(maxAbs, Math.abs((long) wt));
        }
        out[0] = sLo;
        out[1] = sHi;
        out[2] = neg;
        out[3] = pos;
        out[4] = qPos;
        out[5] = qNeg;
        out[6] = maxAbs;
    }
}
