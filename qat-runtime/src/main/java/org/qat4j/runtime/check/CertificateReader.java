package org.qat4j.runtime.check;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.qat4j.runtime.model.Json;
import org.qat4j.runtime.model.ModelReader;

/**
 * Reads certificate text for the checker. The bulk of a certificate — every layer's input bounds and
 * per-channel facts — is read with gson's streaming {@link JsonReader} straight into arrays
 * ({@link ChannelColumns}), without building a JSON tree for it; everything else becomes a tree as
 * before. Only a certificate in the writer's shape takes that path: at anything else — a syntax
 * error, a duplicate key, a missing or unknown channel field, a value of another JSON type, a number
 * that is not a plain decimal integer in range — the whole text is read again as a tree
 * ({@link ModelReader#parse}), so every refusal is the tree reader's, with its message naming the field.
 */
final class CertificateReader {
    private static final TypeAdapter<JsonElement> TREE = new Gson().getAdapter(JsonElement.class);

    /** The text is not in the writer's shape: read it as a tree instead. */
    private static final class NotCanonical extends Exception {
        private static final long serialVersionUID = 1L;

        NotCanonical() {
            super(null, null, false, false);
        }
    }

    private static final NotCanonical NOT_CANONICAL = new NotCanonical();

    private static final int CHANNEL = 16;
    private static final int NEG = 32;
    private static final int POS = 64;
    private static final int BITS = 128;
    private static final int SIGNED_BITS = 256;
    private static final int HOLDS = 512;
    private static final int REQUIRED = CHANNEL | NEG | POS | BITS | SIGNED_BITS | HOLDS;

    private CertificateReader() {}

    /**
     * Reads certificate text.
     *
     * @throws org.qat4j.runtime.model.ModelFormatException for text that is no JSON object, as the tree reader words it
     */
    static StatedCertificate read(String text) {
        try {
            return stream(text);
        } catch (NotCanonical | IOException | RuntimeException e) {
            return tree(text);
        }
    }

    /** Reads certificate text as one JSON tree (the reference reading of {@link #read}). */
    static StatedCertificate tree(String text) {
        return new StatedCertificate(Json.root(ModelReader.parse(text, "certificate"), "the certificate"), null);
    }

    private static StatedCertificate stream(String text) throws IOException, NotCanonical {
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            r.setNestingLimit(64);
            expect(r, JsonToken.BEGIN_OBJECT);
            r.beginObject();
            JsonObject root = new JsonObject();
            List<StatedLayer> layers = null;
            while (r.hasNext()) {
                String key = r.nextName();
                if (root.has(key) || key.equals("layers") && layers != null) {
                    throw NOT_CANONICAL;
                }
                if (key.equals("layers")) {
                    layers = layers(r);
                } else {
                    root.add(key, TREE.read(r));
                }
            }
            r.endObject();
            expect(r, JsonToken.END_DOCUMENT);
            if (layers == null) {
                throw NOT_CANONICAL;
            }
            return new StatedCertificate(new Json(root, "$"), layers);
        }
    }

    private static void expect(JsonReader r, JsonToken token) throws IOException, NotCanonical {
        if (r.peek() != token) {
            throw NOT_CANONICAL;
        }
    }

    private static List<StatedLayer> layers(JsonReader r) throws IOException, NotCanonical {
        expect(r, JsonToken.BEGIN_ARRAY);
        r.beginArray();
        List<StatedLayer> out = new ArrayList<>();
        while (r.hasNext()) {
            out.add(layer(r, "$.layers[" + out.size() + "]"));
        }
        r.endArray();
        return out;
    }

    private static StatedLayer layer(JsonReader r, String path) throws IOException, NotCanonical {
        expect(r, JsonToken.BEGIN_OBJECT);
        r.beginObject();
        JsonObject fields = new JsonObject();
        long[] min = null;
        long[] max = null;
        ChannelColumns channels = null;
        while (r.hasNext()) {
            String key = r.nextName();
            if (fields.has(key)) {
                throw NOT_CANONICAL;
            }
            switch (key) {
                case "inputMin" -> {
                    if (min != null) {
                        throw NOT_CANONICAL;
                    }
                    min = longs(r);
                }
                case "inputMax" -> {
                    if (max != null) {
                        throw NOT_CANONICAL;
                    }
                    max = longs(r);
                }
                case "channels" -> {
                    if (channels != null) {
                        throw NOT_CANONICAL;
                    }
                    channels = channels(r);
                }
                default -> fields.add(key, TREE.read(r));
            }
        }
        r.endObject();
        if (min == null || max == null || channels == null) {
            throw NOT_CANONICAL;
        }
        return new StatedLayer(new Json(fields, path), min, max, channels);
    }

    private static long[] longs(JsonReader r) throws IOException, NotCanonical {
        expect(r, JsonToken.BEGIN_ARRAY);
        r.beginArray();
        long[] out = new long[64];
        int n = 0;
        while (r.hasNext()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = plainLong(r);
        }
        r.endArray();
        return Arrays.copyOf(out, n);
    }

    private static ChannelColumns channels(JsonReader r) throws IOException, NotCanonical {
        expect(r, JsonToken.BEGIN_ARRAY);
        r.beginArray();
        ChannelColumns out = new ChannelColumns();
        while (r.hasNext()) {
            expect(r, JsonToken.BEGIN_OBJECT);
            r.beginObject();
            int seen = 0;
            int channel = 0;
            String hash = null;
            long neg = 0;
            long pos = 0;
            int bits = 0;
            int signedBits = 0;
            boolean holds = false;
            long l1 = 0;
            long qPos = 0;
            long qNeg = 0;
            while (r.hasNext()) {
                String key = r.nextName();
                int bit = switch (key) {
                    case "channel" -> CHANNEL;
                    case "weightSha256" -> ChannelColumns.HASH;
                    case "negativeSum" -> NEG;
                    case "positiveSum" -> POS;
                    case "bitsNeeded" -> BITS;
                    case "signedBitsNeeded" -> SIGNED_BITS;
                    case "holds" -> HOLDS;
                    case "l1Norm" -> ChannelColumns.L1;
                    case "positiveWeightSum" -> ChannelColumns.Q_POS;
                    case "negativeWeightSum" -> ChannelColumns.Q_NEG;
                    default -> throw NOT_CANONICAL;
                };
                if ((seen & bit) != 0) {
                    throw NOT_CANONICAL;
                }
                seen |= bit;
                switch (bit) {
                    case CHANNEL -> channel = plainInt(r);
                    case ChannelColumns.HASH -> {
                        expect(r, JsonToken.STRING);
                        hash = r.nextString();
                    }
                    case NEG -> neg = plainLong(r);
                    case POS -> pos = plainLong(r);
                    case BITS -> bits = plainInt(r);
                    case SIGNED_BITS -> signedBits = plainInt(r);
                    case HOLDS -> {
                        expect(r, JsonToken.BOOLEAN);
                        holds = r.nextBoolean();
                    }
                    case ChannelColumns.L1 -> l1 = plainLong(r);
                    case ChannelColumns.Q_POS -> qPos = plainLong(r);
                    default -> qNeg = plainLong(r);
                }
            }
            r.endObject();
            if ((seen & REQUIRED) != REQUIRED) {
                throw NOT_CANONICAL;
            }
            out.add(channel, hash, neg, pos, bits, signedBits, holds, l1, qPos, qNeg, seen & 15);
        }
        r.endArray();
        return out;
    }

    /** A JSON number written as a plain decimal integer, which {@link Json#exactLong} reads the same. */
    private static long plainLong(JsonReader r) throws IOException, NotCanonical {
        expect(r, JsonToken.NUMBER);
        String t = r.nextString();
        if (!Json.isPlainInteger(t)) {
            throw NOT_CANONICAL;
        }
        return Long.parseLong(t);
    }

    /** {@link #plainLong} within the int range, which {@link Json#integer} reads the same. */
    private static int plainInt(JsonReader r) throws IOException, NotCanonical {
        long v = plainLong(r);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw NOT_CANONICAL;
        }
        return (int) v;
    }
}
