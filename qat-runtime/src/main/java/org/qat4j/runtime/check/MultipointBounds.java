package org.qat4j.runtime.check;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.MultipointDenseOp;

/**
 * The checker's own facts for a {@code multipoint_dense} op (arXiv 2002.09049). The point rows are
 * recomputed by {@link DotProductBounds} as a layer {@code name/points} (op {@code multipoint_points},
 * bias 0, declared width {@code pointAccumulatorBits}); their full-sum ranges {@code [lo_r, hi_r]} are the
 * inputs of the combination, which is recomputed here in BigInteger: channel {@code o}'s terms are its
 * bias and {@code m_r·a_r ∈ [min(m_r·lo_r, m_r·hi_r), max(…)]} over its rows (row boundaries from the
 * {@code points} array, summed here), partial sums in {@code [Σ min(0, t⁻), Σ max(0, t⁺)]}, hashed over
 * the multipliers then the bias (int64 LE).
 */
final class MultipointBounds {
    private MultipointBounds() {}

    /** The two recomputed layers (points, combination) and the output range {@code {lo[], hi[]}}. */
    record Result(RecomputedLayer points, RecomputedLayer combination, long[][] outputRange) {}

    static Result of(MultipointDenseOp m, DotProductBounds dots, long[] xMin, long[] xMax, CheckFindings findings) {
        int[] counts = m.points();
        int rows = 0;
        for (int c : counts) {
            rows = Math.addExact(rows, c);
        }
        DotProductBounds.Result pts = dots.layer(
                m.name() + "/points",
                "multipoint_points",
                IntBuffer.wrap(m.codes()).asReadOnlyBuffer(),
                new long[rows],
                m.inFeatures(),
                1,
                m.pointAccumulatorBits(),
                null,
                xMin,
                xMax,
                "element",
                rows,
                1);
        long[] aLo = pts.outputRange()[0];
        long[] aHi = pts.outputRange()[1];
        long[] mult = m.multipliers();
        long[] bias = m.bias();
        int out = m.outFeatures();
        long[] lo = new long[out];
        long[] hi = new long[out];
        List<RecomputedLayer.Channel> channels = new ArrayList<>();
        int r = 0;
        for (int o = 0; o < out; o++) {
            BigInteger b = BigInteger.valueOf(bias[o]);
            BigInteger sLo = b;
            BigInteger sHi = b;
            BigInteger neg = b.min(BigInteger.ZERO);
            BigInteger pos = b.max(BigInteger.ZERO);
            ByteBuffer hashed = ByteBuffer.allocate((counts[o] + 1) * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < counts[o]; i++, r++) {
                BigInteger x = BigInteger.valueOf(mult[r]).multiply(BigInteger.valueOf(aLo[r]));
                BigInteger y = BigInteger.valueOf(mult[r]).multiply(BigInteger.valueOf(aHi[r]));
                BigInteger tLo = x.min(y);
                BigInteger tHi = x.max(y);
                sLo = sLo.add(tLo);
                sHi = sHi.add(tHi);
                neg = neg.add(tLo.min(BigInteger.ZERO));
                pos = pos.add(tHi.max(BigInteger.ZERO));
                hashed.putLong(mult[r]);
            }
            hashed.putLong(bias[o]);
            lo[o] = sLo.longValueExact();
            hi[o] = sHi.longValueExact();
            long n = neg.longValueExact();
            long p = pos.longValueExact();
            boolean fits = RegisterWidths.fits(n, p, m.accumulatorBits());
            if (!fits) {
                findings.problem(
                        CheckReport.Kind.FAILS,
                        m.name(),
                        o,
                        "combined partial sums range over [" + n + ", " + p + "], which needs "
                                + RegisterWidths.signedBits(n, p) + " signed bits, declared " + m.accumulatorBits());
            }
            channels.add(new RecomputedLayer.Channel(sha256(hashed.array()), n, p, -1, -1, -1, fits));
        }
        RecomputedLayer combination = new RecomputedLayer(
                m.name(), m.opType(), "derived", m.accumulatorBits(), "element", aLo, aHi, -1, channels);
        return new Result(pts.layer(), combination, new long[][] {lo, hi});
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
