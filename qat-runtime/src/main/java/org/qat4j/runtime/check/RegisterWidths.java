package org.qat4j.runtime.check;

import java.math.BigInteger;

/**
 * The checker's own register-width rules (kept apart from the prover's): whether an interval fits a
 * signed {@code P}-bit register {@code [−2^(P−1), 2^(P−1) − 1]}, the smallest such P, and FINN's
 * width {@code ceil(log2(max + 1))} (unsigned) or {@code ceil(log2(max(−min, 1 + max))) + 1} (signed)
 * as used by A2Q (arXiv 2308.13504 §2).
 */
final class RegisterWidths {
    private RegisterWidths() {}

    static boolean fits(long min, long max, int bits) {
        if (bits >= 64) {
            return true;
        }
        return min >= -(1L << (bits - 1)) && max <= (1L << (bits - 1)) - 1;
    }

    static int signedBits(long min, long max) {
        // JDK-8376400: plain long comparisons in the loop, not fits(), whose own `bits >= 64` test repeats the bound
        int p = 1;
        while (p < 64 && (min < -(1L << (p - 1)) || max > (1L << (p - 1)) - 1)) {
            p++;
        }
        return p;
    }

    static int finnBits(long min, long max) {
        if (min >= 0) {
            return 64 - Long.numberOfLeadingZeros(max);
        }
        if (min != Long.MIN_VALUE && max != Long.MAX_VALUE) {
            // m = max(−min, max + 1) ≥ 1 without overflow; ceil(log2(m)) = bit length of m − 1
            long m = Math.max(-min, max + 1);
            return 64 - Long.numberOfLeadingZeros(m - 1) + 1;
        }
        BigInteger m =
                BigInteger.valueOf(min).negate().max(BigInteger.valueOf(max).add(BigInteger.ONE));
        // ceil(log2(m)) + 1
        return m.subtract(BigInteger.ONE).bitLength() + 1;
    }
}
