package org.qat4j.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;

class StrictJsonTest {

    record Sample(double a, Double b, float c, Float d, List<Double> list, Map<String, Object> extra) {}

    private static final double[] VALUES = {
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        0.0,
        -0.0,
        1e-300,
        0.1,
        -7.25,
        Double.MAX_VALUE,
        Double.MIN_VALUE
    };

    @Test
    void nonFiniteNumbersAreStringsAStrictParserAcceptsAndTheyReadBackBitForBit() {
        for (double v : VALUES) {
            Sample s = new Sample(v, v, (float) v, (float) v, List.of(v, 1.5), Map.of("x", v));
            String json = StrictJson.GSON.toJson(s);
            ModelReader.parse(json, "sample"); // strict (RFC 8259) parser: throws on a bare NaN
            Sample back = StrictJson.GSON.fromJson(json, Sample.class);
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(back.a()), json);
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(back.b()), json);
            assertEquals(Float.floatToRawIntBits((float) v), Float.floatToRawIntBits(back.c()), json);
            assertEquals(Float.floatToRawIntBits((float) v), Float.floatToRawIntBits(back.d()), json);
            assertEquals(
                    Double.doubleToRawLongBits(v),
                    Double.doubleToRawLongBits(back.list().get(0)),
                    json);
            if (!Double.isFinite(v)) {
                assertTrue(json.contains("\"" + StrictJson.nonFiniteText(v) + "\""), json);
            }
        }
    }

    @Test
    void aBareNaNIsNotJsonButOldFilesStillRead() {
        String legacy = "{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": 1.0}";
        assertThrows(ModelFormatException.class, () -> ModelReader.parse(legacy, "legacy"));
        Sample back = StrictJson.GSON.fromJson(legacy, Sample.class);
        assertTrue(
                Double.isNaN(back.a()) && back.b() == Double.POSITIVE_INFINITY && back.c() == Float.NEGATIVE_INFINITY);
    }

    @Test
    void aStringThatIsNoNumberIsRejectedNamingThePath() {
        JsonParseException e = assertThrows(
                JsonParseException.class, () -> StrictJson.GSON.fromJson("{\"a\": \"fast\"}", Sample.class));
        assertTrue(e.getMessage().contains("$.a") && e.getMessage().contains("fast"), e.getMessage());
    }

    @Test
    void filesRoundTripAtomicallyAndBadFilesNameTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("state.json");
        Sample sample = new Sample(
                Double.NaN,
                -0.0,
                Float.NEGATIVE_INFINITY,
                0.1f,
                List.of(1.5, Double.POSITIVE_INFINITY),
                Map.of("x", "y"));
        StrictJson.write(file, sample);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(StrictJson.GSON.toJson(sample) + "\n", text);
        Sample back = StrictJson.read(file, Sample.class);
        assertEquals(Double.doubleToRawLongBits(sample.a()), Double.doubleToRawLongBits(back.a()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.b()));
        assertEquals(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY), Float.floatToRawIntBits(back.c()));
        assertEquals(sample.list(), back.list());
        assertEquals(sample.extra(), back.extra());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left");
        }

        Files.writeString(file, "");
        IOException empty = assertThrows(IOException.class, () -> StrictJson.read(file, Sample.class));
        assertTrue(empty.getMessage().startsWith(file + ": empty JSON file, expected a Sample"), empty.getMessage());
        Files.writeString(file, "{\"a\": [");
        IOException malformed = assertThrows(IOException.class, () -> StrictJson.read(file, Sample.class));
        assertTrue(malformed.getMessage().startsWith(file + ": not a valid Sample JSON file"), malformed.getMessage());
    }
}
