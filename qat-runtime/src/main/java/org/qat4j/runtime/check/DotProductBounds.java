package org.qat4j.runtime.check;

import java.math.BigInteger;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.A2qConstraint;

/**
 * The checker's recomputation of one dense/conv layer, channel by channel, in one linear pass over
 * the weights that allocates nothing per weight: each term {@code w·x} with {@code x ∈ [lo, hi]}
 * ranges over {@code [min(w·lo, w·hi), max(w·lo, w·hi)]}, so every partial sum, in any order, lies in
 * {@code [Σ min(0, ·), Σ max(0, ·)]} over all terms and the bias. Alongside: the A2Q norm
 * {@code ‖q‖₁ ≤ T = (2^(P−1) − 1)·2^(σ−N)} (arXiv 2308.13504 Eq. 13), the A2Q+ halves
 * {@code Q⁺, Q⁻ ≤ ⌊(2^(P−1) − 1)/(2^N − 1)⌋} (arXiv 2401.10432 Eq. 8), the M-bit narrow weight range
 * and the weight hash.
 *
 * <p>Exactness: plain {@code long} arithmetic is used only when one exact pre-check per layer proves
 * that no product or sum can leave the range ({@code max|w|·max|x|·(K+1) + max|b| < 2^62});
 * otherwise every product and sum is overflow-checked ({@code Math.*Exact}), and a layer whose sums
 * leave the 64-bit range fails.
 */
final class DotProductBounds {
    private final CheckFindings findings;
    private final ChannelHasher hasher = new ChannelHasher();
    private int[] row = new int[0];
    /** Per channel, from {@link #termBound}'s pass: Σ w and Σ |w| in wrapping int arithmetic (exact when the layer is small). */
    private int[] chanSum = new int[0];

    private int[] chanAbs = new int[0];

    DotProductBounds(CheckFindings findings) {
        this.findings = findings;
    }

    /** Output of {@link #layer}: the recomputed facts and the output ranges (per element). */
    record Result(RecomputedLayer layer, long[][] outputRange) {}

    /**
     * Recomputes one layer.
     *
     * @param weights {@code channels × k} weights in stored order
     * @param k taps per output channel
     * @param tapsPerRange consecutive taps sharing one input range (1 for dense, kernel size for conv)
     * @param lo lower input bound per range
     * @param hi upper input bound per range
     * @param n output elements per sample
     * @param perChannel output elements per channel
     */
    Result layer(
            String name,
            String opType,
            IntBuffer weights,
            long[] bias,
            int k,
            int tapsPerRange,
            int bits,
            A2qConstraint con,
            long[] lo,
            long[] hi,
            String granularity,
            int n,
            int perChannel) {
        int channels = bias.length;
        long limit = -1;
        long wMax = Long.MAX_VALUE;
        if (con != null) {
            BigInteger reg = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            if (con.variant() == A2qConstraint.Variant.A2Q) {
                limit = reg.shiftRight(con.inputBits() - (con.inputSigned() ? 1 : 0))
                        .longValueExact();
            } else {
                limit = reg.divide(BigInteger.ONE.shiftLeft(con.inputBits()).subtract(BigInteger.ONE))
                        .longValueExact();
            }
            long inLo = con.inputSigned() ? -(1L << (con.inputBits() - 1)) : 0;
            long inHi = con.inputSigned() ? (1L << (con.inputBits() - 1)) - 1 : (1L << con.inputBits()) - 1;
            wMax = (1L << (con.weightBits() - 1)) - 1;
            for (int j = 0; j < lo.length; j++) {
                if (lo[j] < inLo || hi[j] > inHi) {
                    findings.problem(
                            CheckReport.Kind.FAILS,
                            name,
                            -1,
                            "input position/channel " + j + " ranges over [" + lo[j] + ", " + hi[j]
                                    + "], outside the " + con.inputBits() + "-bit "
                                    + (con.inputSigned() ? "signed" : "unsigned")
                                    + " range the " + variantName(con) + " bound assumes");
                    break;
                }
            }
        }
        // one range per tap, so the channel loop is a unit-stride pass over three arrays
        long[] loT = lo;
        long[] hiT = hi;
        if (tapsPerRange != 1) {
            loT = new long[k];
            hiT = new long[k];
            for (int t = 0; t < k; t++) {
                loT[t] = lo[t / tapsPerRange];
                hiT[t] = hi[t / tapsPerRange];
            }
        }
        if (row.length < k) {
            row = new int[k];
        }
        int rows = Math.max(channels, k == 0 ? 0 : weights.limit() / k);
        if (chanSum.length < rows) {
            chanSum = new int[rows];
            chanAbs = new int[rows];
        }
        BigInteger termBound = termBound(weights, lo, hi, k);
        // plain long arithmetic when max|w|·max|x|·(K+1) + max|b| < 2^62; int when max|w|·max|x|·K < 2^31
        boolean plain = termBound.add(maxAbs(bias)).compareTo(BigInteger.ONE.shiftLeft(62)) < 0;
        boolean small = termBound.compareTo(BigInteger.ONE.shiftLeft(31)) < 0;
        long[] loNeg = new long[k];
        long[] hiPos = new long[k];
        for (int t = 0; t < k; t++) {
            loNeg[t] = Math.min(loT[t], 0);
            hiPos[t] = Math.max(hiT[t], 0);
        }
        // every range contains 0 (signed or ReLU inputs): each term's low end is ≤ 0 and its high end ≥ 0, so the
        // negative and positive sums are the low and high sums and one loop of two sums is enough
        boolean spansZero = true;
        for (int t = 0; t < k; t++) {
            spansZero &= loT[t] <= 0 && hiT[t] >= 0;
        }
        // one range for every tap (a per-tensor input format): each sum is a combination of Q⁺ and Q⁻ alone
        boolean uniform = true;
        for (int t = 1; t < k; t++) {
            uniform &= loT[t] == loT[0] && hiT[t] == hiT[0];
        }
        int[] loI = small ? toInts(loT) : null;
        int[] hiI = small ? toInts(hiT) : null;
        int[] loNegI = small ? toInts(loNeg) : null;
        int[] hiPosI = small ? toInts(hiPos) : null;
        List<RecomputedLayer.Channel> list = new ArrayList<>(channels);
        long[][] r = new long[2][n];
        long[] acc = new long[7];
        for (int c = 0; c < channels; c++) {
            weights.get(c * k, row, 0, k);
            long b = bias[c];
            if (small && uniform) {
                sumsIntUniform(row, k, chanSum[c], chanAbs[c], loT[0], hiT[0], b, con != null, acc);
            } else if (small && spansZero) {
                sumsIntSpanningZero(row, k, loI, hiI, b, con != null, acc);
            } else if (small) {
                sumsInt(row, k, loI, hiI, loNegI, hiPosI, b, acc);
            } else if (plain) {
                sumsPlain(row, k, loT, hiT, loNeg, hiPos, b, acc);
            } else {
                sumsExact(row, k, loT, hiT, b, acc);
            }
            long sLo = acc[0];
            long sHi = acc[1];
            long neg = acc[2];
            long pos = acc[3];
            long qPos = acc[4];
            long qNeg = acc[5];
            long maxAbsW = acc[6];
            findings.countWeights(k);
            String hash = hasher.hash(row, k, b);
            boolean fits = RegisterWidths.fits(neg, pos, bits);
            boolean holds = fits;
            long l1 = -1;
            long hp = -1;
            long hn = -1;
            if (con != null) {
                if (maxAbsW > wMax) {
                    holds = false;
                    findings.problem(
                            CheckReport.Kind.FAILS,
                            name,
                            c,
                            "a weight exceeds the " + con.weightBits() + "-bit narrow range ±" + wMax);
                }
                if (con.variant() == A2qConstraint.Variant.A2Q) {
                    l1 = qPos + qNeg;
                    if (l1 > limit) {
                        holds = false;
                        findings.problem(
                                CheckReport.Kind.FAILS,
                                name,
                                c,
                                "A2Q: ‖q‖₁ = " + l1 + " > T = " + limit + " (P = " + bits + ", N = " + con.inputBits()
                                        + ", " + (con.inputSigned() ? "signed" : "unsigned") + ")");
                    }
                } else {
                    hp = qPos;
                    hn = qNeg;
                    if (qPos > limit || qNeg > limit) {
                        holds = false;
                        findings.problem(
                                CheckReport.Kind.FAILS,
                                name,
                                c,
                                "A2Q+: Q+ = " + qPos + ", Q− = " + qNeg + ", each must be ≤ T/2 = " + limit + " (P = "
                                        + bits + ", N = " + con.inputBits() + ")");
                    }
                }
            }
            if (!fits) {
                findings.problem(
                        CheckReport.Kind.FAILS,
                        name,
                        c,
                        "partial sums range over [" + neg + ", " + pos + "], which needs "
                                + RegisterWidths.signedBits(neg, pos) + " bits; the declared accumulator has " + bits);
            }
            list.add(new RecomputedLayer.Channel(hash, neg, pos, l1, hp, hn, holds));
            java.util.Arrays.fill(r[0], c * perChannel, (c + 1) * perChannel, sLo);
            java.util.Arrays.fill(r[1], c * perChannel, (c + 1) * perChannel, sHi);
        }
        String method = con == null ? "derived" : variantName(con);
        return new Result(new RecomputedLayer(name, opType, method, bits, granularity, lo, hi, limit, list), r);
    }

    private static String variantName(A2qConstraint con) {
        return con.variant() == A2qConstraint.Variant.A2Q ? "A2Q" : "A2Q+";
    }

    /**
     * Exact: {@code max|w| · max(max|x|, 1) · (k + 1)}, a bound on |any sum of k terms| (one spare term for the
     * bias). The same pass keeps each channel's {@code Σ w} and {@code Σ |w|} in wrapping int arithmetic for
     * {@link #sumsIntUniform}: when the bound is below 2^31, {@code Σ |w| ≤ max|w|·k} is too, so no int sum
     * wrapped and both are exact.
     */
    private BigInteger termBound(IntBuffer weights, long[] lo, long[] hi, int k) {
        long maxW = 0;
        for (int from = 0, c = 0, len = weights.limit(); from < len; from += k, c++) {
            weights.get(from, row, 0, k);
            int m = 0;
            int sum = 0;
            int sumAbs = 0;
            for (int t = 0; t < k; t++) {
                int a = Math.abs(row[t]);
                // abs(Integer.MIN_VALUE) − 1 wraps to Integer.MAX_VALUE, so m + 1 = max(|w|, 1) exactly
                m = Math.max(m, a - 1);
                sum += row[t];
                sumAbs += a;
            }
            chanSum[c] = sum;
            chanAbs[c] = sumAbs;
            maxW = Math.max(maxW, m + 1L);
        }
        long maxX = 0;
        for (int j = 0; j < lo.length; j++) {
            boolean extreme = lo[j] == Long.MIN_VALUE || hi[j] == Long.MIN_VALUE;
            maxX = extreme ? Long.MAX_VALUE : Math.max(maxX, Math.max(Math.abs(lo[j]), Math.abs(hi[j])));
        }
        // max|x| ≥ 1 so the bound also covers the weight sums Q⁺, Q⁻ ≤ max|w|·k
        return BigInteger.valueOf(maxW)
                .multiply(BigInteger.valueOf(Math.max(maxX, 1)))
                .multiply(BigInteger.valueOf(k + 1L));
    }

    private static BigInteger maxAbs(long[] bias) {
        BigInteger m = BigInteger.ZERO;
        for (long v : bias) {
            m = m.max(BigInteger.valueOf(v).abs());
        }
        return m;
    }

    /** Narrowing copy; callers have proven every value fits an int. */
    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int t = 0; t < v.length; t++) {
            out[t] = Math.toIntExact(v[t]);
        }
        return out;
    }

    /**
     * Branch-free sums, exact because of the pre-check. With {@code w⁺ = max(w, 0)}, {@code w⁻ = min(w, 0)}
     * (one of them is 0): {@code min(w·lo, w·hi) = w⁺·lo + w⁻·hi}, {@code min(that, 0) = w⁺·min(lo, 0) + w⁻·max(hi, 0)},
     * and symmetrically for the maxima, so the loop has no data-dependent branch or 64-bit min/max.
     * out = {sLo, sHi, neg, pos, Q⁺, Q⁻, max|w|}.
     */
    private static void sumsPlain(
            int[] w, int k, long[] lo, long[] hi, long[] loNeg, long[] hiPos, long b, long[] out) {
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
     * {@link #termBound}'s pass; the pre-check keeps them and every product within range.
     */
    private static void sumsIntUniform(
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
    private static void sumsIntSpanningZero(
            int[] w, int k, int[] lo, int[] hi, long b, boolean weightSums, long[] out) {
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
    private static void sumsInt(int[] w, int k, int[] lo, int[] hi, int[] loNeg, int[] hiPos, long b, long[] out) {
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
    private static void sumsExact(int[] w, int k, long[] lo, long[] hi, long b, long[] out) {
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
