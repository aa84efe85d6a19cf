package org.qat4j.runtime.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Path;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * Writes an {@link IntegerModel} as one JSON file (format {@code qat4j-integer-model}, version
 * {@value IntegerModel#FORMAT_VERSION}; every field is described in {@code docs/format.md}).
 * Integer arrays are base64 little-endian, so the round trip is bit-exact. The file is written to
 * a temporary file and renamed.
 */
public final class ModelWriter {
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private ModelWriter() {}

    /** The model file's text. */
    public static String toJson(IntegerModel model) {
        return GSON.toJson(ModelJson.toJson(model)) + "\n";
    }

    /** Writes the model atomically. */
    public static void write(IntegerModel model, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(model));
    }
}
