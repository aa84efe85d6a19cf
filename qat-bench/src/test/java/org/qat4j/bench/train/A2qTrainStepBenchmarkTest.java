package org.qat4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmark runs end to end and prints its one JSON line with every field; the ratios are the quotients of the
 * printed medians. Times are not asserted.
 */
class A2qTrainStepBenchmarkTest {

    private static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
        assertTrue(m.find(), "field " + name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void printsTheJsonLine() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            A2qTrainStepBenchmark.main(new String[] {"20", "1", "0"});
        } finally {
            System.setOut(original);
        }
        String json = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(json.startsWith("{\"bench\":\"train-a2q\""), json);
        for (String f : new String[] {"a", "b", "cpuA", "cpuB", "floor"}) {
            assertTrue(field(json, f) > 0, f + " in " + json);
        }
        // printed with 3 decimals: compare the quotients to that precision
        assertEquals(field(json, "a") / field(json, "b"), field(json, "ratio"), 2e-3 * field(json, "ratio") + 1e-3);
        assertEquals(
                field(json, "floor") / field(json, "b"),
                field(json, "floorRatio"),
                2e-3 * field(json, "floorRatio") + 1e-3);
        assertEquals(
                field(json, "cpuA") / field(json, "cpuB"),
                field(json, "cpuRatio"),
                2e-3 * field(json, "cpuRatio") + 1e-3);
        for (String f : new String[] {"faultsA", "faultsB", "faultsFloor"}) {
            assertTrue(field(json, f) >= -1, f + " in " + json);
        }
        assertTrue(field(json, "threads") >= 1, json.toLowerCase(Locale.ROOT));
    }
}
