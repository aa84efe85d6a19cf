package org.qat4j.runtime.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON configuration of every file qat4j writes from Java objects (run settings, metrics, checkpoint
 * state): RFC 8259 JSON that strict parsers (JavaScript's {@code JSON.parse}, Python's {@code json} with
 * {@code parse_constant} raising) accept. JSON has no NaN or infinities, so a non-finite {@code double}
 * or {@code float} is written as one of the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}
 * (the convention of the Protocol Buffers JSON mapping) and read back to the same value; a NaN field means
 * "not measured". Reading also accepts the bare {@code NaN} of files written before this rule.
 */
public final class StrictJson {

    /** Pretty, strict on output, no HTML escaping; thread-safe. */
    public static final Gson GSON = builder().create();

    private StrictJson() {}

    /** A builder with the non-finite number rule; add type adapters and create. */
    public static GsonBuilder builder() {
        TypeAdapter<Double> doubles = new NonFiniteAsString<>(Double::valueOf);
        TypeAdapter<Float> floats = new NonFiniteAsString<>(d -> (float) d);
        return new GsonBuilder()
                .setPrettyPrinting()
                .disableHtmlEscaping()
                .registerTypeAdapter(Double.class, doubles)
                .registerTypeAdapter(double.class, doubles)
                .registerTypeAdapter(Float.class, floats)
                .registerTypeAdapter(float.class, floats);
    }

    /** Writes {@code value} as JSON (and a final newline) to {@code file} atomically ({@link AtomicFiles}). */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(value) + "\n");
    }

    /** Reads {@code file} as a {@code type}; an empty or malformed file fails naming the file. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            T value = GSON.fromJson(text, type);
            if (value == null) {
                throw new IOException(file + ": empty JSON file, expected a " + type.getSimpleName());
            }
            return value;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IOException(file + ": not a valid " + type.getSimpleName() + " JSON file: " + e.getMessage(), e);
        }
    }

    /** The JSON text of a non-finite value, or null if {@code value} is finite. */
    public static String nonFiniteText(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return null;
    }

    private static final class NonFiniteAsString<T extends Number> extends TypeAdapter<T> {
        private final java.util.function.DoubleFunction<T> box;

        NonFiniteAsString(java.util.function.DoubleFunction<T> box) {
            this.box = box;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            if (value == null) {
                out.nullValue();
                return;
            }
            String text = nonFiniteText(value.doubleValue());
            if (text != null) {
                out.value(text);
            } else if (value instanceof Float f) {
                // the float's own shortest decimal, not its widened double's digits
                out.jsonValue(Float.toString(f));
            } else {
                out.value(value.doubleValue());
            }
        }

        @Override
        public T read(JsonReader in) throws IOException {
            JsonToken token = in.peek();
            if (token == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            if (token == JsonToken.STRING) {
                String s = in.nextString();
                switch (s) {
                    case "NaN":
                        return box.apply(Double.NaN);
                    case "Infinity":
                        return box.apply(Double.POSITIVE_INFINITY);
                    case "-Infinity":
                        return box.apply(Double.NEGATIVE_INFINITY);
                    default:
                        try {
                            return box.apply(Double.parseDouble(s));
                        } catch (NumberFormatException e) {
                            throw new com.google.gson.JsonSyntaxException(
                                    "expected a number at " + in.getPath() + ", got \"" + s + "\"");
                        }
                }
            }
            return box.apply(in.nextDouble());
        }
    }
}
