package org.qat4j.runtime.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object with its path in the file, whose accessors fail with a {@link ModelFormatException}
 * naming the field (e.g. {@code $.ops[2].stride}) and what was found instead.
 */
public final class Json {
    private final JsonObject obj;
    private final String path;

    /** Wraps {@code obj} found at {@code path}. */
    public Json(JsonObject obj, String path) {
        this.obj = obj;
        this.path = path;
    }

    /** Wraps the root element, which must be an object. */
    public static Json root(JsonElement e, String what) {
        if (e == null || !e.isJsonObject()) {
            throw new ModelFormatException("$: " + what + " must be a JSON object");
        }
        return new Json(e.getAsJsonObject(), "$");
    }

    /** Path of this object. */
    public String path() {
        return path;
    }

    /** Whether {@code key} is present and not null. */
    public boolean has(String key) {
        return obj.has(key) && !obj.get(key).isJsonNull();
    }

    private JsonElement get(String key) {
        JsonElement e = obj.get(key);
        if (e == null || e.isJsonNull()) {
            throw new ModelFormatException(path + "." + key + ": missing");
        }
        return e;
    }

    private JsonPrimitive prim(String key, String expected) {
        JsonElement e = get(key);
        if (!e.isJsonPrimitive()) {
            throw new ModelFormatException(path + "." + key + ": expected " + expected + ", found " + abbreviate(e));
        }
        return e.getAsJsonPrimitive();
    }

    /** Required string. */
    public String string(String key) {
        JsonPrimitive p = prim(key, "a string");
        if (!p.isString()) {
            throw new ModelFormatException(path + "." + key + ": expected a string, found " + abbreviate(p));
        }
        return p.getAsString();
    }

    /** Required boolean. */
    public boolean bool(String key) {
        JsonPrimitive p = prim(key, "true/false");
        if (!p.isBoolean()) {
            throw new ModelFormatException(path + "." + key + ": expected true/false, found " + abbreviate(p));
        }
        return p.getAsBoolean();
    }

    /** Required integer in int range. */
    public int integer(String key) {
        long v = longValue(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ModelFormatException(path + "." + key + " = " + v + ": outside the int range");
        }
        return (int) v;
    }

    /** Required exact integer in long range (no rounding through double). */
    public long longValue(String key) {
        JsonPrimitive p = prim(key, "an integer");
        if (!p.isNumber()) {
            throw new ModelFormatException(path + "." + key + ": expected an integer, found " + abbreviate(p));
        }
        try {
            return exactLong(p);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ModelFormatException(
                    path + "." + key + " = " + p.getAsString() + ": not an integer in the 64-bit range", e);
        }
    }

    /**
     * The exact integer value of a JSON number (no rounding through double): plain decimal integers
     * directly, anything else ({@code 1.0}, {@code 1e3}) through BigDecimal.
     *
     * @throws ArithmeticException if the value is not an integer in the 64-bit range
     * @throws NumberFormatException if the element is not a number
     */
    public static long exactLong(JsonElement e) {
        String t = e.getAsString();
        if (isPlainInteger(t)) {
            return Long.parseLong(t);
        }
        return new java.math.BigDecimal(t).longValueExact();
    }

    /**
     * Whether a number's text is a plain decimal integer of at most 18 characters ({@code -?[0-9]+}), which
     * {@link Long#parseLong} reads exactly: at most 18 characters are always within the long range.
     */
    public static boolean isPlainInteger(String t) {
        int n = t.length();
        int first = n > 0 && t.charAt(0) == '-' ? 1 : 0;
        if (n > 18 || n <= first) {
            return false;
        }
        for (int i = first; i < n; i++) {
            char ch = t.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    /** Required float given as its IEEE bit pattern in hexadecimal or as a JSON number. */
    public float float32(String key) {
        JsonPrimitive p = prim(key, "a float");
        if (p.isNumber()) {
            return p.getAsFloat();
        }
        throw new ModelFormatException(path + "." + key + ": expected a number, found " + abbreviate(p));
    }

    /** Required nested object. */
    public Json object(String key) {
        JsonElement e = get(key);
        if (!e.isJsonObject()) {
            throw new ModelFormatException(path + "." + key + ": expected an object, found " + abbreviate(e));
        }
        return new Json(e.getAsJsonObject(), path + "." + key);
    }

    /** Required array of objects. */
    public Json[] objects(String key) {
        JsonArray a = array(key);
        Json[] out = new Json[a.size()];
        for (int n = 0; n < out.length; n++) {
            JsonElement e = a.get(n);
            if (!e.isJsonObject()) {
                throw new ModelFormatException(
                        path + "." + key + "[" + n + "]: expected an object, found " + abbreviate(e));
            }
            out[n] = new Json(e.getAsJsonObject(), path + "." + key + "[" + n + "]");
        }
        return out;
    }

    /** Required array. */
    public JsonArray array(String key) {
        JsonElement e = get(key);
        if (!e.isJsonArray()) {
            throw new ModelFormatException(path + "." + key + ": expected an array, found " + abbreviate(e));
        }
        return e.getAsJsonArray();
    }

    /** Required array of ints (short arrays: shapes, strides). */
    public int[] intArray(String key) {
        JsonArray a = array(key);
        if (a.size() > 16) {
            throw new ModelFormatException(path + "." + key + ": " + a.size() + " entries, at most 16 allowed here");
        }
        int[] out = new int[a.size()];
        for (int n = 0; n < out.length; n++) {
            JsonElement e = a.get(n);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new ModelFormatException(
                        path + "." + key + "[" + n + "]: expected an integer, found " + abbreviate(e));
            }
            try {
                out[n] = new java.math.BigDecimal(e.getAsString()).intValueExact();
            } catch (ArithmeticException | NumberFormatException ex) {
                throw new ModelFormatException(
                        path + "." + key + "[" + n + "] = " + e.getAsString() + ": not an int", ex);
            }
        }
        return out;
    }

    /** Required object of string values. */
    public Map<String, String> stringMap(String key) {
        Json o = object(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : o.obj.keySet()) {
            out.put(k, o.string(k));
        }
        return out;
    }

    /** Raw object. */
    public JsonObject raw() {
        return obj;
    }

    private static String abbreviate(JsonElement e) {
        String s = e.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
