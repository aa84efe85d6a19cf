package org.qat4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Comparing two outputs in {@code qat predict}'s format: the first difference and the count of lines. */
class PredictionsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void equalTextsHaveNoDifference() {
        assertNull(Predictions.firstDifference(b("1,2\n3,4\n"), b("1,2\n3,4\n"), "java", "rtl"));
        assertEquals(0, Predictions.differingLines(b("1,2\n3,4\n"), b("1,2\n3,4\n")));
    }

    @Test
    void everyDifferingOrMissingLineIsCounted() {
        assertEquals(
                "line 2: java '3,4', rtl '3,5'",
                Predictions.firstDifference(b("1,2\n3,4\n5\n"), b("1,2\n3,5\n5\n"), "java", "rtl"));
        assertEquals(1, Predictions.differingLines(b("1,2\n3,4\n5\n"), b("1,2\n3,5\n5\n")));
        assertEquals(2, Predictions.differingLines(b("1\n2\n3\n"), b("0\n2\n3")));
        assertEquals(3, Predictions.differingLines(b("1\n2\n3\n"), b("1\n")));
    }
}
