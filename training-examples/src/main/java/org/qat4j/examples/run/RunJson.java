package org.qat4j.examples.run;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Path;
import org.qat4j.runtime.io.StrictJson;

/**
 * Moved: a JSON file is written and read from a Java object by {@link StrictJson#write} and
 * {@link StrictJson#read} (strict RFC 8259 JSON, non-finite numbers as strings, atomic writes). This class
 * only forwards.
 *
 * @deprecated use {@link StrictJson}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class RunJson {

    /** @deprecated use {@link StrictJson#GSON} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static final Gson GSON = StrictJson.GSON;

    private RunJson() {}

    /** @deprecated use {@link StrictJson#write(Path, Object)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static void write(Path file, Object value) throws IOException {
        StrictJson.write(file, value);
    }

    /** @deprecated use {@link StrictJson#read(Path, Class)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static <T> T read(Path file, Class<T> type) throws IOException {
        return StrictJson.read(file, type);
    }
}
