package org.qat4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The model file's arrays ({@code {"dtype", "shape", "data": base64 little-endian}}): every int32, int64 and
 * float32 bit pattern comes back unchanged for every length (the base64 padding cases 0, 1 and 2 included),
 * and a wrong dtype, shape, length or alphabet is refused naming the field.
 */
class ArrayCodecTest {

    private static Json holder(String key, JsonObject array) {
        JsonObject parent = new JsonObject();
        parent.add(key, array);
        return new Json(parent, "$.ops[0]");
    }

    @Property(tries = 200)
    void everyBitPatternRoundTrips(
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll @IntRange(min = 1, max = 70) int n) {
        Random rnd = new Random(seed);
        int[] ints = new int[n];
        long[] longs = new long[n];
        float[] floats = new float[n];
        int[] floatBits = new int[n];
        for (int e = 0; e < n; e++) {
            ints[e] = e % 7 == 0 ? (e % 2 == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE) : rnd.nextInt();
            longs[e] = e % 5 == 0 ? (e % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : rnd.nextLong();
            int bits = rnd.nextInt();
            if ((bits & 0x7f800000) == 0x7f800000 && (bits & 0x007fffff) != 0) {
                bits |= 0x00400000; // a quiet NaN with its payload: signalling NaNs are not model values
            }
            floatBits[e] = bits;
            floats[e] = Float.intBitsToFloat(bits);
        }
        int[] shape = n % 2 == 0 ? new int[] {2, n / 2} : new int[] {n};
        assertArrayEquals(ints, ArrayCodec.decodeInt32(holder("w", ArrayCodec.encodeInt32(ints, shape)), "w", shape));
        assertArrayEquals(longs, ArrayCodec.decodeInt64(holder("b", ArrayCodec.encodeInt64(longs, shape)), "b", shape));
        float[] back = ArrayCodec.decodeFloat32(holder("t", ArrayCodec.encodeFloat32(floats, shape)), "t", shape);
        for (int e = 0; e < n; e++) {
            assertEquals(floatBits[e], Float.floatToRawIntBits(back[e]), "element " + e);
        }
        assertArrayEquals(shape, ArrayCodec.shapeOf(holder("w", ArrayCodec.encodeInt32(ints, shape)), "w"));
    }

    @Test
    void malformedArraysAreRefusedNamingTheField() {
        int[] v = {1, 2, 3};
        JsonObject good = ArrayCodec.encodeInt32(v, 3);

        ModelFormatException dtype = assertThrows(
                ModelFormatException.class, () -> ArrayCodec.decodeInt64(holder("w", good), "w", new int[] {3}));
        assertTrue(dtype.getMessage().contains("$.ops[0].w.dtype = 'int32'"), dtype.getMessage());

        ModelFormatException shape = assertThrows(
                ModelFormatException.class, () -> ArrayCodec.decodeInt32(holder("w", good), "w", new int[] {4}));
        assertTrue(shape.getMessage().contains("$.ops[0].w.shape"), shape.getMessage());

        JsonObject shortData = good.deepCopy();
        shortData.addProperty("data", good.get("data").getAsString().substring(4));
        ModelFormatException length = assertThrows(
                ModelFormatException.class, () -> ArrayCodec.decodeInt32(holder("w", shortData), "w", new int[] {3}));
        assertTrue(
                length.getMessage().contains("$.ops[0].w.data")
                        && length.getMessage().contains("3 elements"),
                length.getMessage());

        JsonObject badAlphabet = good.deepCopy();
        String data = good.get("data").getAsString();
        badAlphabet.addProperty("data", "*" + data.substring(1));
        ModelFormatException base64 = assertThrows(
                ModelFormatException.class, () -> ArrayCodec.decodeInt32(holder("w", badAlphabet), "w", new int[] {3}));
        assertTrue(base64.getMessage().contains("not valid base64"), base64.getMessage());
    }
}
