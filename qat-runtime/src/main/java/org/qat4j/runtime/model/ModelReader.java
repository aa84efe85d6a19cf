package org.qat4j.runtime.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads integer model files. Rejects, with a {@link ModelFormatException} naming the file and the
 * field: files above the size cap (checked before reading), malformed or truncated JSON (with line
 * and column), an unknown {@code format} or {@code formatVersion}, arrays whose data disagree with
 * their declared shape (checked before decoding), absurd sizes, and graphs that do not validate.
 */
public final class ModelReader {
    /** Default cap on the file size: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    private ModelReader() {}

    /** Reads a model with the default size cap. */
    public static IntegerModel read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /** Reads a model, refusing files larger than {@code maxBytes}. */
    public static IntegerModel read(Path file, long maxBytes) throws IOException {
        String text = readCapped(file, maxBytes, "model");
        try {
            return fromJson(text);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses model text (no size cap beyond the string itself). */
    public static IntegerModel fromJson(String text) {
        return ModelJson.fromJson(Json.root(parse(text, "model file"), "the model file"));
    }

    /** Reads a whole text file after checking its size against {@code maxBytes}. */
    public static String readCapped(Path file, long maxBytes, String what) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new ModelFormatException(
                    file + ": " + what + " file is " + size + " bytes, above the cap of " + maxBytes + " bytes");
        }
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Parses JSON strictly; syntax errors and truncation name the line and column. */
    public static JsonElement parse(String text, String what) {
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            r.setNestingLimit(64);
            JsonElement e = com.google.gson.JsonParser.parseReader(r);
            if (r.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new ModelFormatException(what + ": trailing content after the JSON document at " + r.getPath());
            }
            return e;
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new ModelFormatException(what + ": malformed or truncated JSON: " + jsonProblem(e), e);
        }
    }

    /** Gson's message without its class name, its advice to parse leniently and its troubleshooting link. */
    public static String jsonProblem(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON ", "");
        int see = m.indexOf("See https://");
        return (see >= 0 ? m.substring(0, see) : m).strip();
    }
}
