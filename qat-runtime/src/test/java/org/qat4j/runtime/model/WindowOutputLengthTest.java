package org.qat4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one window formula against counting the window positions one by one, exhaustively on small sizes. */
class WindowOutputLengthTest {

    @Test
    void formulaCountsEveryWindowThatFitsInThePaddedInput() {
        for (int in = 1; in <= 20; in++) {
            for (int k = 1; k <= 5; k++) {
                for (int s = 1; s <= 4; s++) {
                    for (int p = 0; p <= 2; p++) {
                        for (int d = 1; d <= 3; d++) {
                            int span = d * (k - 1) + 1;
                            if (in + 2 * p < span) {
                                int[] a = {in, k, s, p, d};
                                assertThrows(
                                        ModelFormatException.class,
                                        () -> Shapes.windowOutput(a[0], a[1], a[2], a[3], a[4], "f"));
                                continue;
                            }
                            int count = 0;
                            for (int start = -p; start + span <= in + p; start += s) {
                                count++;
                            }
                            String c = "in " + in + " k " + k + " s " + s + " p " + p + " d " + d;
                            assertEquals(count, Shapes.windowOutputLength(in, k, s, p, d), c);
                            assertEquals(count, Shapes.windowOutput(in, k, s, p, d, "f"), c);
                        }
                    }
                }
            }
        }
    }
}
