package org.qat4j.runtime.check;

import java.math.BigInteger;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.model.ModelOp;

/**
 * The checker's ranges of a fixed-point quantizer's outputs, per element: a format with sign bit
 * {@code k}, integer bits {@code i} and fractional bits {@code f} holds the integers
 * {@code [−k·2^(i+f), 2^(i+f) − 1]} ({@code −(2^(i+f) − 1)} for symmetric saturation; a zero-width
 * format only 0), and the facts a certificate states of the quantizer (its widths {@code k + i + f}).
 */
final class QuantizerRanges {
    private QuantizerRanges() {}

    static long[][] of(FixedFormat[] f, OverflowMode o) {
        long[][] r = new long[2][f.length];
        for (int e = 0; e < f.length; e++) {
            int magnitude = f[e].i() + f[e].f();
            if (f[e].k() + magnitude <= 0) {
                continue;
            }
            if (magnitude >= 0 && magnitude < 62) {
                // the same values in long: 2^magnitude − 1 and its negation (− 1 unless symmetric)
                long h = (1L << magnitude) - 1;
                r[0][e] = f[e].k() == 0 ? 0 : (o == OverflowMode.SAT_SYM ? -h : -h - 1);
                r[1][e] = h;
                continue;
            }
            BigInteger hi = BigInteger.ONE.shiftLeft(magnitude).subtract(BigInteger.ONE);
            BigInteger lo = f[e].k() == 0
                    ? BigInteger.ZERO
                    : (o == OverflowMode.SAT_SYM ? hi.negate() : hi.negate().subtract(BigInteger.ONE));
            r[0][e] = lo.longValueExact();
            r[1][e] = hi.longValueExact();
        }
        return r;
    }

    static String[] facts(ModelOp op, FixedFormat[] f, String rounding, String overflow) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (FixedFormat x : f) {
            int w = Math.max(0, x.k() + x.i() + x.f());
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        return new String[] {op.opType(), rounding, overflow, Integer.toString(min), Integer.toString(max)};
    }
}
