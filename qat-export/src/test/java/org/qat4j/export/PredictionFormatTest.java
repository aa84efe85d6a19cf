package org.qat4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PredictionFormat#formatFloat} against glibc's {@code printf("%.9g")}, bit pattern by bit pattern. */
class PredictionFormatTest {

    @TempDir
    Path tmp;

    @Test
    void equalsGlibcPrintfOnSpecialRandomAndTieValues() throws IOException {
        Toolchain.require("gcc", "gcc");
        Files.writeString(tmp.resolve("g.c"), """
                #include <stdio.h>
                #include <stdint.h>
                #include <string.h>
                int main(void) {
                    unsigned long b;
                    while (scanf("%lx", &b) == 1) {
                        uint32_t u = (uint32_t) b;
                        float f;
                        memcpy(&f, &u, 4);
                        printf("%.9g\\n", (double) f);
                    }
                    return 0;
                }
                """);
        Toolchain.runOk(List.of("gcc", "-std=c99", "-O2", "-o", "g", "g.c"), tmp, null, 60);
        Random rnd = new Random(9);
        StringBuilder in = new StringBuilder();
        StringBuilder java = new StringBuilder();
        int[] special = {
            0,
            0x80000000,
            0x7f800000,
            0xff800000,
            0x7fc00000,
            0xffc00000,
            1,
            0x80000001,
            0x7f7fffff,
            0x00800000,
            Float.floatToIntBits(0.5f),
            Float.floatToIntBits(1e9f),
            Float.floatToIntBits(999999999f),
            Float.floatToIntBits(1e-4f),
            Float.floatToIntBits(9.9999999e-5f),
            Float.floatToIntBits(123456789f),
            Float.floatToIntBits(100f)
        };
        int count = 0;
        for (int b : special) {
            add(in, java, b);
            count++;
        }
        for (int e = -149; e <= 127; e++) {
            // powers of two: many have exact decimal ties at the tenth significant digit (2^-14 = 6.103515625e-05)
            add(in, java, Float.floatToRawIntBits(Math.scalb(1f, e)));
            add(in, java, Float.floatToRawIntBits(-Math.scalb(1.5f, Math.min(e, 126))));
            count += 2;
        }
        for (int t = 0; t < 30_000; t++) {
            add(
                    in,
                    java,
                    t % 2 == 0
                            ? rnd.nextInt()
                            : Float.floatToRawIntBits(
                                    (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(24) - 12))));
            count++;
        }
        Toolchain.Result r = Toolchain.runOk(
                List.of(tmp.resolve("g").toString()), tmp, in.toString().getBytes(StandardCharsets.US_ASCII), 60);
        assertNull(Predictions.firstDifference(
                java.toString().getBytes(StandardCharsets.UTF_8), r.stdout(), "Java", "glibc"));
        assertEquals(count, r.out().split("\n").length);
    }

    private static void add(StringBuilder in, StringBuilder java, int bits) {
        in.append(Integer.toHexString(bits)).append('\n');
        java.append(PredictionFormat.formatFloat(Float.intBitsToFloat(bits))).append('\n');
    }

    @Test
    void knownSpellings() {
        assertEquals("6.10351562e-05", PredictionFormat.formatFloat(Math.scalb(1f, -14)));
        assertEquals("0.5", PredictionFormat.formatFloat(0.5f));
        assertEquals("-0", PredictionFormat.formatFloat(-0f));
        assertEquals("1e+09", PredictionFormat.formatFloat(1e9f));
        assertEquals("123456792", PredictionFormat.formatFloat(123456789f));
    }

    @Test
    void inputsRoundTripAndBadValuesAreNamed() {
        float[] v = {0.1f, -3.4028235e38f, 1.4e-45f, -0f, 7f};
        String line = PredictionFormat.inputLine(v, 0, v.length);
        float[] back = PredictionFormat.parseInputs(List.of(line, "  "), v.length, "in.csv");
        for (int t = 0; t < v.length; t++) {
            assertEquals(Float.floatToRawIntBits(v[t]), Float.floatToRawIntBits(back[t]));
        }
        ExportException e =
                assertThrows(ExportException.class, () -> PredictionFormat.parseInputs(List.of("1,x"), 2, "in.csv"));
        assertEquals("in.csv line 1 value 2 = 'x': not a decimal number", e.getMessage());
        e = assertThrows(ExportException.class, () -> PredictionFormat.parseInputs(List.of("", "1"), 2, "in.csv"));
        assertEquals("in.csv line 2: 1 values, the model takes 2", e.getMessage());
    }
}
