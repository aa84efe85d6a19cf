package org.qat4j.runtime.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class A2qBoundsTest {

    @Test
    void tA2qKnownValues() {
        // P=16, N=8 unsigned: (2^15-1)/2^8 = 32767/256
        assertEquals(
                ExactRational.of(BigInteger.valueOf(32767), BigInteger.valueOf(256)), A2qBounds.tA2q(16, 8, false));
        // signed: 32767/128
        assertEquals(ExactRational.of(BigInteger.valueOf(32767), BigInteger.valueOf(128)), A2qBounds.tA2q(16, 8, true));
        assertEquals(127, A2qBounds.maxL1A2q(16, 8, false));
        assertEquals(255, A2qBounds.maxL1A2q(16, 8, true));
        // N=1 signed: σ−N = 0, T = 2^(P−1) − 1 exactly
        assertEquals(ExactRational.of(32767), A2qBounds.tA2q(16, 1, true));
    }

    @Test
    void tA2qPlusKnownValues() {
        // (2^16-2)/(2^8-1) = 65534/255 (gcd 1)
        assertEquals(ExactRational.of(BigInteger.valueOf(65534), BigInteger.valueOf(255)), A2qBounds.tA2qPlus(16, 8));
        // (2^16-2)/15 = 65534/15
        assertEquals(ExactRational.of(BigInteger.valueOf(65534), BigInteger.valueOf(15)), A2qBounds.tA2qPlus(16, 4));
        // floor(32767/255) = 128
        assertEquals(128, A2qBounds.maxHalfSumA2qPlus(16, 8));
        assertEquals(2184, A2qBounds.maxHalfSumA2qPlus(16, 4));
    }

    @Test
    void boundaryIsExactNotFloatFuzzy() {
        // T = (2^63 − 1)/2 at P=64, N=1 unsigned: 2^62 − 1 satisfies, 2^62 does not (a double cannot tell them apart)
        long edge = (1L << 62) - 1;
        assertTrue(A2qBounds.satisfiesA2q(edge, 64, 1, false));
        assertFalse(A2qBounds.satisfiesA2q(edge + 1, 64, 1, false));
        // A2Q+ at P=64, N=1: T/2 = (2^63−1)/1: Q+ = 2^63−1 fits
        assertTrue(A2qBounds.satisfiesA2qPlus(Long.MAX_VALUE, Long.MAX_VALUE, 64, 1));
        assertEquals(64, A2qBounds.minAccumulatorBitsA2qPlus(Long.MAX_VALUE, 0, 1));
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> A2qBounds.tA2q(0, 8, false));
        assertTrue(
                e.getMessage().contains("accumulatorBits (P)") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> A2qBounds.tA2qPlus(16, 64));
        assertTrue(e.getMessage().contains("inputBits (N)") && e.getMessage().contains("64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> A2qBounds.satisfiesA2q(-1, 16, 8, false));
        assertTrue(e.getMessage().contains("l1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> A2qBounds.satisfiesA2qPlus(-1, 0, 16, 8));
    }

    @Test
    void negSumAcceptedAsMagnitudeOrSignedSum() {
        long half = A2qBounds.maxHalfSumA2qPlus(12, 4);
        assertTrue(A2qBounds.satisfiesA2qPlus(0, half, 12, 4));
        assertTrue(A2qBounds.satisfiesA2qPlus(0, -half, 12, 4));
        assertFalse(A2qBounds.satisfiesA2qPlus(0, half + 1, 12, 4));
        assertFalse(A2qBounds.satisfiesA2qPlus(0, -(half + 1), 12, 4));
    }

    /** floor(T) is the exact boundary: it satisfies, one more does not. */
    @Property(tries = 2000)
    void a2qBoundaryIsFloorT(
            @ForAll @IntRange(min = 1, max = 63) int p,
            @ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll boolean signed) {
        long max = A2qBounds.maxL1A2q(p, n, signed);
        // check the multiplied-out definition independently: l1·2^(N−σ) ≤ 2^(P−1) − 1
        BigInteger a = BigInteger.ONE.shiftLeft(p - 1).subtract(BigInteger.ONE);
        int shift = n - (signed ? 1 : 0);
        assertTrue(BigInteger.valueOf(max).shiftLeft(shift).compareTo(a) <= 0);
        assertTrue(BigInteger.valueOf(max + 1).shiftLeft(shift).compareTo(a) > 0);
        assertTrue(A2qBounds.satisfiesA2q(max, p, n, signed));
        assertFalse(A2qBounds.satisfiesA2q(max + 1, p, n, signed));
    }

    @Property(tries = 2000)
    void a2qPlusBoundaryIsFloorHalfT(
            @ForAll @IntRange(min = 2, max = 63) int p, @ForAll @IntRange(min = 1, max = 40) int n) {
        long h = A2qBounds.maxHalfSumA2qPlus(p, n);
        BigInteger a = BigInteger.ONE.shiftLeft(p - 1).subtract(BigInteger.ONE);
        BigInteger w = BigInteger.ONE.shiftLeft(n).subtract(BigInteger.ONE);
        assertTrue(BigInteger.valueOf(h).multiply(w).compareTo(a) <= 0);
        assertTrue(BigInteger.valueOf(h + 1).multiply(w).compareTo(a) > 0);
        assertTrue(A2qBounds.satisfiesA2qPlus(h, h, p, n));
        assertFalse(A2qBounds.satisfiesA2qPlus(h + 1, 0, p, n));
        assertFalse(A2qBounds.satisfiesA2qPlus(0, h + 1, p, n));
    }

    /** P_min is minimal: the bound holds at P_min and fails at P_min − 1. */
    @Property(tries = 3000)
    void minBitsA2qIsMinimal(
            @ForAll @LongRange(min = 0, max = 1L << 40) long l1,
            @ForAll @IntRange(min = 1, max = 20) int n,
            @ForAll boolean signed) {
        int pMin = A2qBounds.minAccumulatorBitsA2q(l1, n, signed);
        assertTrue(A2qBounds.satisfiesA2q(l1, pMin, n, signed));
        if (pMin > 1) {
            assertFalse(A2qBounds.satisfiesA2q(l1, pMin - 1, n, signed));
        }
    }

    /** P_min agrees with the paper's real-valued formula wherever doubles resolve it unambiguously. */
    @Property(tries = 2000)
    void minBitsA2qMatchesPaperFormula(
            @ForAll @LongRange(min = 1, max = 1L << 30) long l1,
            @ForAll @IntRange(min = 1, max = 16) int n,
            @ForAll boolean signed) {
        double alpha = Math.log(l1) / Math.log(2) + n - (signed ? 1 : 0);
        double real = alpha + Math.log1p(Math.pow(2, -alpha)) / Math.log(2) + 1;
        if (Math.abs(real - Math.rint(real)) > 1e-6) {
            assertEquals((int) Math.ceil(real), A2qBounds.minAccumulatorBitsA2q(l1, n, signed));
        }
    }

    @Property(tries = 3000)
    void minBitsA2qPlusIsMinimal(
            @ForAll @LongRange(min = 0, max = 1L << 40) long pos,
            @ForAll @LongRange(min = 0, max = 1L << 40) long neg,
            @ForAll @IntRange(min = 1, max = 20) int n) {
        int pMin = A2qBounds.minAccumulatorBitsA2qPlus(pos, neg, n);
        assertTrue(A2qBounds.satisfiesA2qPlus(pos, neg, pMin, n));
        if (pMin > 1) {
            assertFalse(A2qBounds.satisfiesA2qPlus(pos, neg, pMin - 1, n));
        }
    }
}
