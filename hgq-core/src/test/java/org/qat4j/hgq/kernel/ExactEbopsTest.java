package org.qat4j.hgq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
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
        assertThrows(
                ArithmeticException.class,
                () -> ExactEbops.of(new long[] {1, 4}, new int[] {Integer.MAX_VALUE}, j -> Integer.MAX_VALUE));
    }

    /** Against the sum over explicit (o, c, tap) coordinates in BigInteger, for random shapes and widths. */
    @Property(tries = 200)
    void equalsTheCoordinateSum(
            @ForAll @IntRange(min = 1, max = 4) int outputs,
            @ForAll @IntRange(min = 1, max = 5) int channels,
            @ForAll @IntRange(min = 1, max = 6) int taps,
            @ForAll boolean perChannel,
            @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        java.util.Random r = new java.util.Random(seed);
        int[] widths = new int[perChannel ? channels : 1];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = r.nextInt(40) - 4;
        }
        int[] bits = new int[outputs * channels * taps];
        for (int j = 0; j < bits.length; j++) {
            bits[j] = r.nextInt(25);
        }
        BigInteger expected = BigInteger.ZERO;
        for (int o = 0; o < outputs; o++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < taps; t++) {
                    int width = Math.max(0, widths[perChannel ? c : 0]);
                    int j = (o * channels + c) * taps + t;
                    expected = expected.add(BigInteger.valueOf(width).multiply(BigInteger.valueOf(bits[j])));
                }
            }
        }
        long[] shape = taps == 1 ? new long[] {outputs, channels} : new long[] {outputs, channels, taps};
        assertEquals(expected.longValueExact(), ExactEbops.of(shape, widths, j -> bits[j]));
    }
}
