package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.qat4j.hgq.quant.BitGranularity;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.hgq.quant.IntegerBitsMode;

class UniformBitsTest {

    @Test
    void kernelIntegerBitsOfTheRecipesLayers() {
        assertEquals(-2, UniformBits.kernelIntegerBits(784)); // 4·sqrt(2/784) = 0.202 ≤ 2^-2
        assertEquals(0, UniformBits.kernelIntegerBits(64)); // 0.707 ≤ 1
        assertEquals(0, UniformBits.kernelIntegerBits(32)); // exactly 1 = 2^0: the tie belongs to i = 0
        assertEquals(1, UniformBits.kernelIntegerBits(9)); // 1.886 ≤ 2
        assertEquals(-1, UniformBits.kernelIntegerBits(400)); // 0.283 ≤ 2^-1
        assertEquals(3, UniformBits.kernelIntegerBits(1)); // 5.66 ≤ 8
    }

    /** i is the smallest integer with 2^i ≥ 4·sqrt(2/fanIn), checked as (2^i)²·fanIn ≥ 32 on exact rationals. */
    @Property(tries = 300)
    void kernelIntegerBitsAreTheSmallestCoveringFourSigma(@ForAll @LongRange(min = 1, max = 1L << 40) long fanIn) {
        int i = UniformBits.kernelIntegerBits(fanIn);
        assertTrue(covers(fanIn, i), "2^" + i + " must cover 4 sigma at fanIn " + fanIn);
        assertTrue(!covers(fanIn, i - 1), "2^" + (i - 1) + " already covers 4 sigma at fanIn " + fanIn);
    }

    private static boolean covers(long fanIn, int i) {
        // 2^(2i)·fanIn ≥ 32, both sides scaled by 2^(2·64) so that negative i stay integral
        BigInteger left = BigInteger.valueOf(fanIn).shiftLeft(2 * i + 128);
        return left.compareTo(BigInteger.valueOf(32).shiftLeft(128)) >= 0;
    }

    @Test
    void everyFormatIsBBitsWideAndPinnedForEveryB() {
        for (int b = UniformBits.MIN_BITS; b <= UniformBits.MAX_BITS; b++) {
            UniformBits u = new UniformBits(b);
            assertPinned(u.biases(), b, true);
            for (long fanIn : new long[] {1, 9, 16, 64, 72, 400, 784, 100_000}) {
                assertPinned(u.kernel(fanIn), b, true);
            }
            assertPinned(u.input(UniformBits.Input.PIXELS), b, false);
            assertPinned(u.input(UniformBits.Input.RELU), b, false);
            assertPinned(u.input(UniformBits.Input.STANDARDIZED), b, true);
        }
    }

    @Test
    void weightsAtBAndActivationsAtAForEveryPair() {
        for (int b = UniformBits.MIN_BITS; b <= UniformBits.MAX_BITS; b++) {
            for (int a = UniformBits.MIN_BITS; a <= UniformBits.MAX_BITS; a++) {
                UniformBits u = new UniformBits(b, a);
                assertPinned(u.biases(), b, true);
                assertPinned(u.kernel(784), b, true);
                assertPinned(u.input(UniformBits.Input.PIXELS), a, false);
                assertPinned(u.input(UniformBits.Input.RELU), a, false);
                assertPinned(u.input(UniformBits.Input.STANDARDIZED), a, true);
            }
        }
        assertEquals(new UniformBits(4, 4), new UniformBits(4));
    }

    @Property(tries = 50)
    void activationBitsOutsideTheRangeAreRefusedNamingTheOption(@ForAll @IntRange(min = -100, max = 100) int a) {
        if (a >= UniformBits.MIN_BITS && a <= UniformBits.MAX_BITS) {
            assertEquals(a, new UniformBits(4, a).activationBits());
            return;
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new UniformBits(4, a));
        assertEquals("--uniform-act-bits must be in [2, 16], got " + a, e.getMessage());
    }

    private static void assertPinned(HgqQuantizerConfig c, int bits, boolean signed) {
        assertEquals(BitGranularity.PER_TENSOR, c.granularity());
        assertEquals(IntegerBitsMode.TRAINABLE, c.integerBits());
        assertEquals(signed, c.signed());
        assertEquals(c.minIntegerBits(), c.maxIntegerBits(), "integer bits not pinned: " + c);
        assertEquals(c.minFractionalBits(), c.maxFractionalBits(), "fractional bits not pinned: " + c);
        assertEquals(c.initialIntegerBits(), c.minIntegerBits());
        assertEquals(c.initialFractionalBits(), c.minFractionalBits());
        assertEquals(bits, (signed ? 1 : 0) + c.minIntegerBits() + c.minFractionalBits(), "width of " + c);
        assertEquals(0.0, c.bitL1());
    }

    @Property(tries = 50)
    void bitsOutsideTheRangeAreRefusedNamingTheOption(@ForAll @IntRange(min = -100, max = 100) int bits) {
        if (bits >= UniformBits.MIN_BITS && bits <= UniformBits.MAX_BITS) {
            assertEquals(bits, new UniformBits(bits).bits());
            return;
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new UniformBits(bits));
        assertEquals("--uniform-bits must be in [2, 16], got " + bits, e.getMessage());
    }

    @Test
    void fanInBelowOneIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> UniformBits.kernelIntegerBits(0));
        assertEquals("fanIn must be >= 1, got 0", e.getMessage());
    }
}
