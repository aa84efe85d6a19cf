package org.qat4j.runtime.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AccumulatorBudgetTest {

    @Property(tries = 200)
    void budgetKeepsBothEndsWithinA(
            @ForAll @IntRange(min = 2, max = 16) int p,
            @ForAll @IntRange(min = 2, max = 8) int n,
            @ForAll boolean signed,
            @ForAll long seed) {
        AccumulatorBudget b = new AccumulatorBudget(p, n, signed);
        Random r = new Random(seed);
        long[] chosen = new long[30];
        for (int i = 0; i < chosen.length; i++) {
            long lo = b.low();
            long hi = b.high();
            assertTrue(lo <= 0 && hi >= 0);
            chosen[i] = lo + (long) r.nextInt((int) Math.min(Integer.MAX_VALUE, hi - lo + 1));
            b.add(chosen[i]);
        }
        assertTrue(AccumulatorInterval.worstCase(chosen, n, signed).fitsSigned(p));
    }

    @Test
    void budgetIsTightForUnsignedInputs() {
        // P = 8, N = 4 unsigned: A = 127, x_max = 15 → at most floor(127/15) = 8 positive and 8 negative units
        AccumulatorBudget b = new AccumulatorBudget(8, 4, false);
        assertEquals(8, b.high());
        assertEquals(-8, b.low());
        b.add(5);
        assertEquals(3, b.high());
        b.add(-8);
        assertEquals(0, b.low());
        assertEquals(3, b.high());
    }

    @Test
    void weightsOutsideTheBudgetAreRefused() {
        AccumulatorBudget b = new AccumulatorBudget(8, 4, false);
        assertThrows(IllegalArgumentException.class, () -> b.add(9));
        assertThrows(IllegalArgumentException.class, () -> new AccumulatorBudget(8, 1, true));
    }

    @Test
    void exhaustiveSmallSignedBudgetsMatchTheWorstCaseInterval() {
        // P = 6, N = 2 signed, every sequence of three weights in [-3, 3]: a sequence is accepted step by step
        // iff its worst-case interval fits 6 signed bits and both sign halves fit floor(T+/2)
        long half = A2qBounds.maxHalfSumA2qPlus(6, 2);
        for (int a = -3; a <= 3; a++) {
            for (int b = -3; b <= 3; b++) {
                for (int c = -3; c <= 3; c++) {
                    long[] w = {a, b, c};
                    AccumulatorBudget budget = new AccumulatorBudget(6, 2, true);
                    boolean accepted = true;
                    for (long q : w) {
                        if (q > budget.high() || q < budget.low()) {
                            accepted = false;
                            break;
                        }
                        budget.add(q);
                    }
                    ChannelSums s = ChannelSums.of(w);
                    boolean fits = AccumulatorInterval.worstCase(w, 2, true).fitsSigned(6)
                            && s.posSum() <= half
                            && Math.abs(s.negSum()) <= half;
                    assertEquals(fits, accepted, java.util.Arrays.toString(w));
                }
            }
        }
    }
}
