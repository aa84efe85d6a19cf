package org.qat4j.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

    @TempDir
    Path dir;

    /** Writes a version-1.0 .npy file the way NumPy does (header padded with spaces to a multiple of 64). */
    public static byte[] npy(String descr, boolean fortran, long[] shape, byte[] data) {
        StringBuilder s = new StringBuilder("(");
        for (long d : shape) {
            s.append(d).append(", ");
        }
        String shapeText =
                shape.length == 1 ? "(" + shape[0] + ",)" : s.toString().replaceAll(", $", "") + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + shapeText + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        return b.array();
    }

    public static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void readsRank2AndRank4() throws IOException {
        Path f = dir.resolve("w.npy");
        Files.write(f, npy("<f4", false, new long[] {2, 3}, floats(1, -2, 3.5f, 0, Float.MIN_VALUE, -0f)));
        NpyReader.Float32Array a = NpyReader.readFloat32(f, 2, 4);
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, -0f}, a.data());
        Files.write(f, npy("<f4", false, new long[] {1, 2, 1, 1}, floats(7, 8)));
        assertArrayEquals(
                new long[] {1, 2, 1, 1}, NpyReader.readFloat32(f, 2, 4).shape());
    }

    @Test
    void clearErrors() throws IOException {
        Path f = dir.resolve("bad.npy");
        assertMessage(() -> NpyReader.readFloat32(dir.resolve("missing.npy")), "missing.npy", "not found");
        Files.write(f, npy("<f8", false, new long[] {1}, new byte[8]));
        assertMessage(() -> NpyReader.readFloat32(f), "'<f8'", "float32");
        Files.write(f, npy(">f4", false, new long[] {1}, new byte[4]));
        assertMessage(() -> NpyReader.readFloat32(f), "'>f4'", "expected '<f4'");
        Files.write(f, npy("<f4", false, new long[] {2, 2, 2}, floats(new float[8])));
        assertMessage(() -> NpyReader.readFloat32(f, 2, 4), "rank is 3", "[2, 4]");
        Files.write(f, npy("<f4", true, new long[] {2, 2}, floats(new float[4])));
        assertMessage(() -> NpyReader.readFloat32(f), "fortran_order", "C order");
        Files.write(f, npy("<f4", false, new long[] {4, 4}, floats(new float[15])));
        assertMessage(() -> NpyReader.readFloat32(f), "truncated", "64");
        // a huge declared shape in a tiny file fails before allocating
        Files.write(f, npy("<f4", false, new long[] {1L << 30, 1L << 30}, floats(1)));
        assertMessage(() -> NpyReader.readFloat32(f), "data section", "needs");
        Files.write(f, "hello".getBytes(StandardCharsets.US_ASCII));
        assertMessage(() -> NpyReader.readFloat32(f), "not a .npy file", "offset 0");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String... parts) {
        IOException ex = assertThrows(IOException.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage().contains(p), "'" + ex.getMessage() + "' lacks '" + p + "'");
        }
    }
}
