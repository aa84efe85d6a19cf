package org.qat4j.a2q.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the reference sample (Brevitas v0.12.1 integer weights) from the test resources. */
public final class BrevitasSample {

    public final JsonObject root;

    private BrevitasSample(JsonObject root) {
        this.root = root;
    }

    public static BrevitasSample load() {
        try (var r = new InputStreamReader(
                BrevitasSample.class.getResourceAsStream("/a2q-brevitas-sample.json"), StandardCharsets.UTF_8)) {
            return new BrevitasSample(JsonParser.parseReader(r).getAsJsonObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public float[] weights() {
        return floats(root.getAsJsonArray("weight_float"));
    }

    public long[] shape() {
        JsonArray a = root.getAsJsonArray("weight_shape");
        return new long[] {a.get(0).getAsLong(), a.get(1).getAsLong()};
    }

    public int caseCount() {
        return root.getAsJsonArray("cases").size();
    }

    public JsonObject caseAt(int i) {
        return root.getAsJsonArray("cases").get(i).getAsJsonObject();
    }

    public static float[] floats(JsonArray a) {
        float[] r = new float[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsFloat();
        }
        return r;
    }

    public static long[] longs(JsonArray a) {
        long[] r = new long[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsLong();
        }
        return r;
    }
}
