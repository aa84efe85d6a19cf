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
 * <p>Exactness: each channel's arithmetic ({@link ChannelSums}) is chosen by an exact bound from one
 * pass over its weights ({@link ChannelBound}: {@code max|w|·max|x|·(K+1) + |b|}): {@code int} below
 * 2^31, plain {@code long} below 2^62, otherwise every product and sum is overflow-checked
 * ({@code Math.*Exact}), and a layer whose sums leave the 64-bit range fails. Each weight row is read
 * once into a reused buffer, measured, summed and hashed from there.
 */
final class DotProductBounds {
    private final CheckFindings findings;
    private final ChannelHasher hasher = new ChannelHasher();
    private final ChannelBound bound = new ChannelBound();
    private int[] row = new int[0];

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
        long maxX = ChannelBound.maxAbsInput(lo, hi);
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
        // a channel can take the int kernels only when max|x| < 2^31, so the inputs fit an int
        boolean intInputs = maxX < ChannelBound.INT_LIMIT;
        int[] loI = intInputs ? toInts(loT) : null;
        int[] hiI = intInputs ? toInts(hiT) : null;
        int[] loNegI = intInputs ? toInts(loNeg) : null;
        int[] hiPosI = intInputs ? toInts(hiPos) : null;
        List<RecomputedLayer.Channel> list = new ArrayList<>(channels);
        long[][] r = new long[2][n];
        long[] acc = new long[7];
        ChannelBound bound = this.bound;
        for (int c = 0; c < channels; c++) {
            weights.get(c * k, row, 0, k);
            long b = bias[c];
            bound.measure(row, k, maxX);
            boolean small = bound.bound < ChannelBound.INT_LIMIT;
            if (small && uniform) {
                ChannelSums.sumsIntUniform(row, k, bound.sum, bound.sumAbs, loT[0], hiT[0], b, con != null, acc);
            } else if (small && spansZero) {
                ChannelSums.sumsIntSpanningZero(row, k, loI, hiI, b, con != null, acc);
            } else if (small) {
                ChannelSums.sumsInt(row, k, loI, hiI, loNegI, hiPosI, b, acc);
            } else if (bound.plainLongExact(b)) {
                ChannelSums.sumsPlain(row, k, loT, hiT, loNeg, hiPos, b, acc);
            } else {
                ChannelSums.sumsExact(row, k, loT, hiT, b, acc);
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

    /** Narrowing copy; callers have proven every value fits an int. */
    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int t = 0; t < v.length; t++) {
            out[t] = Math.toIntExact(v[t]);
        }
        return out;
    }
}
