package org.qat4j.runtime.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TwosComplementAccumulatorTest {

    @Test
    void wrapsLikeHardware() {
        TwosComplementAccumulator acc = new TwosComplementAccumulator(8);
        acc.add(127);
        assertFalse(acc.wrapped());
        acc.add(1);
        assertTrue(acc.wrapped());
        assertEquals(-128, acc.value());
        TwosComplementAccumulator wide = new TwosComplementAccumulator(64);
        wide.add(Long.MAX_VALUE);
        assertFalse(wide.wrapped());
        wide.add(1);
        assertTrue(wide.wrapped());
        assertEquals(Long.MIN_VALUE, wide.value());
    }

    /** Exhaustive over 6-bit registers: the register value is the sum mod 2^P and wraps iff the sum leaves range. */
    @Property(tries = 200)
    void exhaustiveSmallRegister(
            @ForAll @IntRange(min = -32, max = 31) int a, @ForAll @IntRange(min = -32, max = 31) int b) {
        TwosComplementAccumulator acc = new TwosComplementAccumulator(6);
        acc.add(a);
        acc.add(b);
        int sum = a + b;
        assertEquals(sum < -32 || sum > 31, acc.wrapped());
        assertEquals(((sum % 64) + 64 + 32) % 64 - 32, acc.value());
    }
}
