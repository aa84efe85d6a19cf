package org.qat4j.runtime.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks against outputs of HGQ2's NumPy reference quantizer ({@code quantizers} 1.2.2, commit
 * 5186149c), 12 formats x 546 inputs x 21 rounding/overflow pairs. The two WRAP_SM pairs of the sample
 * are skipped: sign-magnitude wrapping is not an {@link OverflowMode} of this library.
 */
class ReferenceSampleTest {

    private static final String RESOURCE = "/reference/hgq-fixed-point-sample.json";

    private static JsonArray formats;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ReferenceSampleTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE);
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                formats = JsonParser.parseReader(reader).getAsJsonObject().getAsJsonArray("formats");
            }
        }
        assertEquals(12, formats.size());
    }

    /**
     * The exact method equals the reference's float64 output everywhere except at its float trap: the
     * reference computes {@code floor(y + 0.5)} in float64, so for {@code y = 1/2 - 2^-54} the sum
     * {@code 1 - 2^-54} is a tie that rounds (to even) to 1.0 and the mantissa becomes 1, while the true
     * nearest integer is 0. RND and RND_INF apply {@code floor(|y| + 0.5)} to the input at tag
     * {@code t-u64:0}; RND_INF and RND_MIN_INF apply {@code floor(-y + 0.5)} (up to sign) to the input
     * at tag {@code t+u64:-1}, {@code y = -(1/2 - 2^-54)}. No other input is affected: for ties further
     * out ({@code |y| >= 1.5}) the neighbour plus 0.5 is exact, and RND_ZERO/RND_CONV/TRN never add 0.5
     * to a value that can round across 1.
     *
     * <p>Expected count, from the sample's 12 formats. {@code t-u64:0} under RND and RND_INF: the 10
     * formats with a positive maximum show it under SAT, SAT_SYM and WRAP (10 * 2 * 3 = 60); (1,0,0)
     * has maximum 0, so SAT/SAT_SYM clip the input to 0 first and only WRAP shows it (mantissa 1 wraps
     * to -1; 2); the zero-width (0,0,0) clips to 0 or wraps 1 to 0 (none): 62. {@code t+u64:-1} under
     * RND_INF and RND_MIN_INF: unsigned formats clip the negative input to -0.0 under SAT/SAT_SYM and
     * show it under WRAP on the 5 of non-zero width (5 * 2 = 10); signed formats show it in all three
     * modes (5 * 2 * 3 = 30) except (1,0,0) under SAT_SYM, whose range is {0} (2 * 2 = 4): 44.
     * Total 62 + 44 = 106.
     */
    @Test
    void exactMethodMatchesReferenceFloat64ExceptItsFloatTrap() {
        int compared = 0;
        int deviations = 0;
        for (JsonElement e : formats) {
            JsonObject fo = e.getAsJsonObject();
            FixedFormat fmt = format(fo);
            double[] x = doubles(fo.getAsJsonArray("x"));
            String[] tags = strings(fo.getAsJsonArray("tags"));
            JsonObject ys = fo.getAsJsonObject("y");
            for (String pair : ys.keySet()) {
                if (pair.endsWith("WRAP_SM")) {
                    continue;
                }
                RoundingMode r = rounding(pair);
                OverflowMode o = overflow(pair);
                double[] y = doubles(ys.getAsJsonArray(pair));
                for (int j = 0; j < x.length; j++) {
                    long m = FixedPoint.quantize(x[j], fmt, r, o);
                    double actual = FixedPoint.toDouble(m, fmt);
                    compared++;
                    if (actual == y[j]) {
                        continue;
                    }
                    String where =
                            fmt + " " + pair + " x=" + x[j] + " tag=" + tags[j] + " ref=" + y[j] + " exact=" + actual;
                    boolean trap = (tags[j].equals("t-u64:0") && (r == RoundingMode.RND || r == RoundingMode.RND_INF))
                            || (tags[j].equals("t+u64:-1")
                                    && (r == RoundingMode.RND_INF || r == RoundingMode.RND_MIN_INF));
                    assertTrue(trap, "unexpected deviation at " + where);
                    // both neighbours lie strictly within half a step of 0: the exact answer is 0
                    assertEquals(0L, m, where);
                    deviations++;
                }
            }
        }
        assertEquals(546 * 21, compared, "pairs compared");
        assertEquals(106, deviations, "deviations at the reference's float64 trap");
    }

    /** The float32 re-enactment equals the reference's float32 output bit for bit, signed zeros included. */
    @Test
    void float32ReenactmentMatchesReferenceBitForBit() {
        int compared = 0;
        int overridden = 0;
        for (JsonElement e : formats) {
            JsonObject fo = e.getAsJsonObject();
            FixedFormat fmt = format(fo);
            double[] x32 = doubles(fo.getAsJsonArray("x32"));
            JsonObject ys = fo.getAsJsonObject("y");
            JsonObject diffs = fo.getAsJsonObject("y32_diff");
            for (String pair : ys.keySet()) {
                if (pair.endsWith("WRAP_SM")) {
                    continue;
                }
                RoundingMode r = rounding(pair);
                OverflowMode o = overflow(pair);
                double[] y32 = doubles(ys.getAsJsonArray(pair));
                Map<Integer, Double> override = new HashMap<>();
                if (diffs.has(pair)) {
                    for (JsonElement d : diffs.getAsJsonArray(pair)) {
                        JsonArray entry = d.getAsJsonArray();
                        override.put(entry.get(0).getAsInt(), entry.get(1).getAsDouble());
                    }
                }
                overridden += override.size();
                for (Map.Entry<Integer, Double> d : override.entrySet()) {
                    y32[d.getKey()] = d.getValue();
                }
                for (int j = 0; j < x32.length; j++) {
                    float xf = (float) x32[j];
                    assertEquals(x32[j], xf, "x32 is a float32 value");
                    float expected = (float) y32[j];
                    assertEquals(y32[j], expected, "y32 is a float32 value");
                    float actual = FixedPoint.quantizeLikeReferenceFloat32(xf, fmt, r, o);
                    assertEquals(
                            Float.floatToRawIntBits(expected),
                            Float.floatToRawIntBits(actual),
                            () -> fmt + " " + pair + " x32=" + xf + " expected " + expected + " got " + actual);
                    compared++;
                }
            }
        }
        assertEquals(546 * 21, compared, "pairs compared");
        assertTrue(overridden > 0, "the sample has float32-specific outputs");
    }

    private static FixedFormat format(JsonObject fo) {
        int i = fo.get("i").getAsInt();
        int f = fo.get("f").getAsInt();
        assertEquals(Math.max(i, -f), fo.get("i_eff").getAsInt());
        return new FixedFormat(fo.get("k").getAsInt(), i, f);
    }

    private static RoundingMode rounding(String pair) {
        return RoundingMode.valueOf(pair.substring(0, pair.indexOf('/')));
    }

    private static OverflowMode overflow(String pair) {
        return OverflowMode.valueOf(pair.substring(pair.indexOf('/') + 1));
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = a.get(j).getAsDouble();
        }
        return out;
    }

    private static String[] strings(JsonArray a) {
        String[] out = new String[a.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = a.get(j).getAsString();
        }
        return out;
    }
}
