package org.qat4j.examples.run;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.io.StrictJson;

/**
 * Reads and writes run files ({@code run.json}, {@code metrics.json}, {@code state.json}) as strict JSON
 * with {@link StrictJson}'s rule for non-finite numbers (a metric may be unmeasured: {@code "NaN"}).
 */
public final class RunJson {

    /** Shared, thread-safe. */
    public static final Gson GSON = StrictJson.GSON;

    private RunJson() {}

    /** Writes {@code value} as JSON to {@code file} atomically. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(value) + "\n");
    }

    /** Reads {@code file} as a {@code type}; a malformed file fails naming the file. */
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
}
