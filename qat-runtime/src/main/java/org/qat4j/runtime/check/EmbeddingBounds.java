package org.qat4j.runtime.check;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.EmbeddingOp;

/**
 * The checker's own facts for an {@code embedding} op (row-wise quantized tables, arXiv 1911.02079):
 * it decodes every entry from the stored codes, scales, offsets or codebook in BigInteger, hashes each
 * decoded column (int64 LE), and bounds column {@code d} over the index range of every position: the
 * reachable rows {@code [max(lo, 0), min(hi, R − 1)]}, plus the empty selection 0 when an index may
 * fall outside {@code [0, R)}. Partial sums in any order lie in {@code [Σ min(0, t⁻), Σ max(0, t⁺)]}.
 */
final class EmbeddingBounds {
    private EmbeddingBounds() {}

    /** The recomputed layer and the output range {@code {lo[], hi[]}}. */
    record Result(RecomputedLayer layer, long[][] outputRange) {}

    static Result of(EmbeddingOp e, long[] idxMin, long[] idxMax, CheckFindings findings) {
        int rows = e.rows();
        int dim = e.dim();
        int[] codes = e.codes();
        long[] scale = e.scale();
        long[] offset = e.offset();
        long[] book = e.codebook();
        BigInteger[][] v = new BigInteger[dim][rows];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dim; d++) {
                int c = codes[r * dim + d];
                v[d][r] = e.kind() == EmbeddingOp.Kind.AFFINE
                        ? BigInteger.valueOf(scale[r])
                                .multiply(BigInteger.valueOf(c))
                                .add(BigInteger.valueOf(offset[r]))
                        : BigInteger.valueOf(book[r * (1 << e.codeBits()) + c]);
            }
        }
        long[] lo = new long[dim];
        long[] hi = new long[dim];
        List<RecomputedLayer.Channel> channels = new ArrayList<>();
        for (int d = 0; d < dim; d++) {
            BigInteger sLo = BigInteger.ZERO;
            BigInteger sHi = BigInteger.ZERO;
            BigInteger neg = BigInteger.ZERO;
            BigInteger pos = BigInteger.ZERO;
            for (int l = 0; l < idxMin.length; l++) {
                BigInteger[] t = term(v[d], idxMin[l], idxMax[l]);
                sLo = sLo.add(t[0]);
                sHi = sHi.add(t[1]);
                neg = neg.add(t[0].min(BigInteger.ZERO));
                pos = pos.add(t[1].max(BigInteger.ZERO));
            }
            lo[d] = sLo.longValueExact();
            hi[d] = sHi.longValueExact();
            long n = neg.longValueExact();
            long p = pos.longValueExact();
            boolean fits = RegisterWidths.fits(n, p, e.accumulatorBits());
            if (!fits) {
                findings.problem(
                        CheckReport.Kind.FAILS,
                        e.name(),
                        d,
                        "partial sums range over [" + n + ", " + p + "], which needs " + RegisterWidths.signedBits(n, p)
                                + " signed bits, declared " + e.accumulatorBits());
            }
            channels.add(new RecomputedLayer.Channel(hash(v[d]), n, p, -1, -1, -1, fits));
        }
        RecomputedLayer layer = new RecomputedLayer(
                e.name(),
                e.opType(),
                "derived",
                e.accumulatorBits(),
                "element",
                idxMin.clone(),
                idxMax.clone(),
                -1,
                channels);
        return new Result(layer, new long[][] {lo, hi});
    }

    private static BigInteger[] term(BigInteger[] column, long a, long b) {
        BigInteger min = null;
        BigInteger max = null;
        if (a < 0 || b >= column.length) {
            min = BigInteger.ZERO;
            max = BigInteger.ZERO;
        }
        for (long r = Math.max(a, 0); r <= Math.min(b, column.length - 1L); r++) {
            BigInteger x = column[(int) r];
            min = min == null ? x : min.min(x);
            max = max == null ? x : max.max(x);
        }
        return min == null ? new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO} : new BigInteger[] {min, max};
    }

    private static String hash(BigInteger[] column) {
        ByteBuffer b = ByteBuffer.allocate(column.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (BigInteger x : column) {
            b.putLong(x.longValueExact());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every JVM", ex);
        }
    }
}
