package org.qat4j.runtime.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Encodes numeric arrays in the model file as {@code {"dtype": …, "shape": […], "data": "<base64>"}}
 * with little-endian elements. Decoding checks the declared element count against the length of
 * the base64 text BEFORE allocating anything, so a file cannot make the reader allocate more than
 * its own size.
 */
final class ArrayCodec {
    private ArrayCodec() {}

    static JsonObject encodeInt32(int[] v, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(v.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return wrap("int32", shape, b.array());
    }

    static JsonObject encodeInt64(long[] v, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(v.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return wrap("int64", shape, b.array());
    }

    static JsonObject encodeFloat32(float[] v, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(v.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putInt(Float.floatToRawIntBits(x));
        }
        return wrap("float32", shape, b.array());
    }

    private static JsonObject wrap(String dtype, int[] shape, byte[] bytes) {
        JsonObject o = new JsonObject();
        o.addProperty("dtype", dtype);
        JsonArray s = new JsonArray();
        for (int d : shape) {
            s.add(new JsonPrimitive(d));
        }
        o.add("shape", s);
        o.addProperty("data", Base64.getEncoder().encodeToString(bytes));
        return o;
    }

    static int[] decodeInt32(Json j, String key, int[] expectedShape) {
        ByteBuffer b = decode(j, key, "int32", 4, expectedShape);
        int[] out = new int[b.remaining() / 4];
        // one bulk copy (a little-endian view), not one getInt per element
        b.asIntBuffer().get(out);
        return out;
    }

    static long[] decodeInt64(Json j, String key, int[] expectedShape) {
        ByteBuffer b = decode(j, key, "int64", 8, expectedShape);
        long[] out = new long[b.remaining() / 8];
        b.asLongBuffer().get(out);
        return out;
    }

    static float[] decodeFloat32(Json j, String key, int[] expectedShape) {
        ByteBuffer b = decode(j, key, "float32", 4, expectedShape);
        float[] out = new float[b.remaining() / 4];
        for (int n = 0; n < out.length; n++) {
            out[n] = Float.intBitsToFloat(b.getInt());
        }
        return out;
    }

    /** Declared shape of the array at {@code key}. */
    static int[] shapeOf(Json j, String key) {
        return j.object(key).intArray("shape");
    }

    private static ByteBuffer decode(Json parent, String key, String dtype, int width, int[] expectedShape) {
        Json a = parent.object(key);
        String field = a.path();
        String actual = a.string("dtype");
        if (!actual.equals(dtype)) {
            throw new ModelFormatException(field + ".dtype = '" + actual + "', expected '" + dtype + "'");
        }
        int[] shape = a.intArray("shape");
        if (expectedShape != null && !java.util.Arrays.equals(shape, expectedShape)) {
            throw new ModelFormatException(
                    field + ".shape = " + Shapes.toString(shape) + ", expected " + Shapes.toString(expectedShape));
        }
        long count = shape.length == 0 ? 1 : Shapes.numel(shape, field + ".shape");
        String data = a.string("data");
        long bytes = count * width;
        long expectedChars = (bytes + 2) / 3 * 4;
        if (data.length() != expectedChars) {
            throw new ModelFormatException(
                    field + ".data: " + data.length() + " base64 characters, but shape " + Shapes.toString(shape)
                            + " of " + dtype + " needs " + expectedChars + " (" + count + " elements)");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(field + ".data: not valid base64: " + e.getMessage(), e);
        }
        if (raw.length != bytes) {
            throw new ModelFormatException(field + ".data: decodes to " + raw.length + " bytes, expected " + bytes);
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }
}
