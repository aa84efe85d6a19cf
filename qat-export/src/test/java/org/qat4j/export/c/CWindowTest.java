package org.qat4j.export.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.Shapes;

/**
 * The per-tap output range of the C conv loops against testing every output position one by one,
 * exhaustively on small axes (output lengths from the runtime's {@link Shapes#windowOutputLength}).
 */
class CWindowTest {

    @Test
    void insideRangeIsExactlyThePositionsReadingTheUnpaddedInput() {
        int axes = 0;
        for (int in = 1; in <= 9; in++) {
            for (int k = 1; k <= 5; k++) {
                for (int s = 1; s <= 4; s++) {
                    for (int p = 0; p <= 4; p++) {
                        for (int d = 1; d <= 3; d++) {
                            if (in + 2 * p < d * (k - 1) + 1) {
                                continue;
                            }
                            int out = (int) Shapes.windowOutputLength(in, k, s, p, d);
                            CWindow.Axis a = new CWindow.Axis(in, out, k, s, p, d);
                            for (int t = 0; t < k; t++) {
                                long off = a.offset(t);
                                long first = a.firstInside(off);
                                long end = a.endInside(off);
                                String c = "in " + in + " k " + k + " s " + s + " p " + p + " d " + d + " tap " + t;
                                assertEquals((long) t * d - p, off, c);
                                assertTrue(first >= 0 && first <= end, c);
                                assertTrue(first == end || end <= out, c);
                                for (int q = 0; q < out; q++) {
                                    long pos = (long) q * s + off;
                                    assertEquals(pos >= 0 && pos < in, q >= first && q < end, c + " q " + q);
                                }
                            }
                            axes++;
                        }
                    }
                }
            }
        }
        assertTrue(axes > 2000, "axes tested: " + axes);
    }

    @Test
    void oneDimensionalWindowIsOneRowHigh() {
        CWindow g = CWindow.of(
                new int[] {3, 17}, new int[] {4, 9}, new int[] {3}, new int[] {2}, new int[] {2}, new int[] {2});
        assertEquals(new CWindow.Axis(1, 1, 1, 1, 0, 1), g.h());
        assertEquals(new CWindow.Axis(17, 9, 3, 2, 2, 2), g.w());
        CWindow p = CWindow.unpadded(new int[] {2, 9, 11}, new int[] {2, 4, 10}, new int[] {2, 2}, new int[] {2, 1});
        assertEquals(new CWindow.Axis(9, 4, 2, 2, 0, 1), p.h());
        assertEquals(new CWindow.Axis(11, 10, 2, 1, 0, 1), p.w());
    }
}
