package org.qat4j.runtime.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** SPARQ's window selection (arXiv 2105.11010 §3), exhaustively over every input value. */
class SparqWindowTest {

    /** The definition restated on BigInteger: lowest allowed shift whose window holds x, floor or half-up saturating. */
    private static long reference(long x, int inputBits, int windowBits, int[] placements, boolean rounding) {
        if (x == 0) {
            return 0;
        }
        BigInteger v = BigInteger.valueOf(x);
        int s = -1;
        for (int p : placements) {
            if (v.bitLength() <= p + windowBits) {
                s = p;
                break;
            }
        }
        assertTrue(s >= 0, "some placement holds " + x);
        BigInteger unit = BigInteger.ONE.shiftLeft(s);
        BigInteger w =
                rounding ? v.shiftLeft(1).add(unit).divide(unit.shiftLeft(1)) : v.divide(unit); // floor(x/2^s + 1/2)
        BigInteger cap = BigInteger.ONE.shiftLeft(windowBits).subtract(BigInteger.ONE);
        return w.min(cap).multiply(unit).longValueExact();
    }

    @Test
    void eightBitValuesThroughFourBitWindowsMatchTheDefinitionForEveryVariant() {
        for (int count : new int[] {5, 3, 2}) {
            int[] pl = SparqWindow.placements(8, 4, count);
            for (boolean rounding : new boolean[] {false, true}) {
                SparqWindow t = new SparqWindow(8, 4, pl, rounding);
                long[] table = t.table();
                assertEquals(256, table.length);
                for (int x = 0; x < 256; x++) {
                    long y = t.trim(x);
                    assertEquals(reference(x, 8, 4, pl, rounding), y, count + "opt rounding " + rounding + " x " + x);
                    assertEquals(y, table[x]);
                    // a window of 4 bits at an allowed shift: y = w·2^s, w < 16
                    int s = y == 0 ? 0 : Long.numberOfTrailingZeros(y);
                    long w = y >>> s;
                    assertTrue(w < 16, "x " + x + " -> " + y);
                    if (!rounding) {
                        assertTrue(
                                y <= x && x - y < 16,
                                "truncation drops less than the lowest 4 bits: x " + x + " -> " + y);
                    }
                }
            }
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, SparqWindow.placements(8, 4, 5));
        assertArrayEquals(new int[] {0, 2, 4}, SparqWindow.placements(8, 4, 3));
        assertArrayEquals(new int[] {0, 4}, SparqWindow.placements(8, 4, 2));
    }

    @Test
    void workedExamplesOfThePaperFigure() {
        // 27 = 0b0001_1011, leading one at bit 4
        assertEquals(26, new SparqWindow(8, 4, new int[] {0, 1, 2, 3, 4}, false).trim(27)); // window [4:1] = 1101
        assertEquals(28, new SparqWindow(8, 4, new int[] {0, 1, 2, 3, 4}, true).trim(27)); // + bit 0
        assertEquals(24, new SparqWindow(8, 4, new int[] {0, 2, 4}, false).trim(27)); // window [5:2] = 0110
        assertEquals(28, new SparqWindow(8, 4, new int[] {0, 2, 4}, true).trim(27)); // + bit 1
        assertEquals(16, new SparqWindow(8, 4, new int[] {0, 4}, false).trim(27)); // window [7:4] = 0001
        assertEquals(32, new SparqWindow(8, 4, new int[] {0, 4}, true).trim(27)); // + bit 3
        // 255 rounds up to 16·16 = 256 but saturates in the window at 15·16
        assertEquals(240, new SparqWindow(8, 4, new int[] {0, 4}, true).trim(255));
        // values that fit the lowest window are exact
        for (int x = 0; x < 16; x++) {
            assertEquals(x, new SparqWindow(8, 4, new int[] {0, 4}, true).trim(x));
        }
    }

    @Test
    void everyConfigurationUpToTwelveBitsIsMonotoneAndStaysInRange() {
        for (int bits = 2; bits <= 12; bits++) {
            for (int window = 1; window < bits; window++) {
                int top = bits - window;
                // every placement set containing the top shift: subsets of [0, top) plus top
                for (int mask = 0; mask < (1 << top) && mask < 64; mask++) {
                    int[] pl = new int[Integer.bitCount(mask) + 1];
                    int k = 0;
                    for (int s = 0; s < top; s++) {
                        if ((mask & (1 << s)) != 0) {
                            pl[k++] = s;
                        }
                    }
                    pl[k] = top;
                    if (SparqWindow.problem(bits, window, pl) != null) {
                        continue;
                    }
                    for (boolean rounding : new boolean[] {false, true}) {
                        SparqWindow t = new SparqWindow(bits, window, pl, rounding);
                        long prev = 0;
                        for (long x = 0; x < (1L << bits); x++) {
                            long y = t.trim(x);
                            assertTrue(y >= prev, "monotone: N " + bits + " n " + window + " x " + x);
                            assertTrue(y < (1L << bits), "in range: N " + bits + " n " + window + " x " + x);
                            if (bits <= 9) {
                                assertEquals(reference(x, bits, window, pl, rounding), y);
                            }
                            prev = y;
                        }
                    }
                }
            }
        }
    }

    @Test
    void invalidConfigurationsAreRefusedWithTheReason() {
        assertTrue(SparqWindow.problem(8, 4, new int[] {0, 2}).contains("last shift must be"));
        assertTrue(SparqWindow.problem(8, 4, new int[] {1, 4}).contains("first shift must be 0"));
        assertTrue(SparqWindow.problem(8, 2, new int[] {0, 3, 6}).contains("at most windowBits"));
        assertTrue(SparqWindow.problem(8, 4, new int[] {2, 0, 4}).contains("increase strictly"));
        assertTrue(SparqWindow.problem(8, 8, new int[] {0}).contains("windowBits"));
        assertTrue(SparqWindow.problem(17, 4, new int[] {13}).contains("inputBits"));
        assertThrows(IllegalArgumentException.class, () -> SparqWindow.placements(8, 3, 3));
    }
}
