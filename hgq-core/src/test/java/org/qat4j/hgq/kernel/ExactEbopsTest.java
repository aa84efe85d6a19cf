package org.qat4j.hgq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Exact EBOPs of one kernel application, against the sum written out by hand. */
class ExactEbopsTest {

    @Test
    void perChannelInputWidthsMultiplyTheirChannelsWeights() {
        // kernel [O=2, C=3, taps=2]; weight j has j % 5 significant bits
        long[] shape = {2, 3, 2};
        int[] widths = {4, 0, 7};
        long expected = 0;
        for (int o = 0; o < 2; o++) {
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 2; t++) {
                    int j = (o * 3 + c) * 2 + t;
                    expected += (long) widths[c] * (j % 5);
                }
            }
        }
        assertEquals(expected, ExactEbops.of(shape, widths, j -> j % 5));
    }

    @Test
    void oneTensorWidthAppliesToEveryWeightAndNegativeWidthsCountZero() {
        assertEquals(6L * 3 * (3 * 4), ExactEbops.of(new long[] {3, 4}, new int[] {6}, j -> 3));
        assertEquals(0L, ExactEbops.of(new long[] {3, 4}, new int[] {-2}, j -> 3));
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        // four products of 2^31 − 1 squared: the third sum exceeds 2^63 − 1
        assertThrows(ArithmeticException.class,
                () -> ExactEbops.of(new long[] {1, 4}, new int[] {Integer.MAX_VALUE}, j -> Integer.MAX_VALUE));
    }
}
