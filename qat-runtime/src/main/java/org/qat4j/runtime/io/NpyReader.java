package org.qat4j.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0) holding a little-endian float32 array
 * ({@code descr '<f4'}) in C order. Every problem is an {@link IOException} whose message names the file and, where it
 * applies, the byte offset, the field and the value found: missing file, bad magic, unsupported version, wrong dtype,
 * Fortran order, a rank outside the allowed set, or a data section shorter or longer than the shape declares. The
 * declared size is checked against the file size before anything is allocated.
 */
public final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {}

    /** A float32 array: its shape and its values in C order. */
    public record Float32Array(long[] shape, float[] data) {

        /** Number of elements (product of the shape). */
        public long size() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        @Override
        public String toString() {
            return "Float32Array" + Arrays.toString(shape);
        }
    }

    /**
     * Reads {@code file}, requiring its rank to be one of {@code allowedRanks} (any rank if none given).
     *
     * @throws IOException with a message naming the file and the problem
     */
    public static Float32Array readFloat32(Path file, int... allowedRanks) throws IOException {
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            if (head.length < 8 || !Arrays.equals(Arrays.copyOf(head, 6), MAGIC)) {
                throw new IOException(file + ": not a .npy file (offset 0: magic \\x93NUMPY missing)");
            }
            int major = head[6] & 0xff;
            int headerLenSize;
            if (major == 1) {
                headerLenSize = 2;
            } else if (major == 2 || major == 3) {
                headerLenSize = 4;
            } else {
                throw new IOException(file + ": unsupported .npy format version " + major + "." + (head[7] & 0xff)
                        + " at offset 6 (expected 1.x, 2.x or 3.x)");
            }
            byte[] lenBytes = in.readNBytes(headerLenSize);
            if (lenBytes.length < headerLenSize) {
                throw new IOException(file + ": truncated at offset 8 (header length missing)");
            }
            ByteBuffer lb = ByteBuffer.wrap(Arrays.copyOf(lenBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = Integer.toUnsignedLong(lb.getInt());
            long dataOffset = 8L + headerLenSize + headerLen;
            if (dataOffset > fileSize) {
                throw new IOException(file + ": truncated: header length " + headerLen + " at offset 8 runs past the"
                        + " end of the file (" + fileSize + " bytes)");
            }
            String header = new String(
                    in.readNBytes((int) headerLen), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = field(file, header, DESCR, "descr");
            if (!descr.equals("<f4")) {
                throw new IOException(file + ": dtype (descr) is '" + descr + "', expected '<f4' (little-endian"
                        + " float32); convert with arr.astype('<f4')");
            }
            if (field(file, header, FORTRAN, "fortran_order").equals("True")) {
                throw new IOException(file + ": fortran_order is True, expected C order; save np.ascontiguousarray(a)");
            }
            long[] shape = parseShape(file, field(file, header, SHAPE, "shape"));
            if (allowedRanks.length > 0 && Arrays.stream(allowedRanks).noneMatch(r -> r == shape.length)) {
                throw new IOException(file + ": rank is " + shape.length + " (shape " + Arrays.toString(shape)
                        + "), expected rank " + Arrays.toString(allowedRanks));
            }
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            long expectedBytes = Math.multiplyExact(count, 4L);
            long actualBytes = fileSize - dataOffset;
            if (actualBytes != expectedBytes) {
                throw new IOException(file + ": data section at offset " + dataOffset + " has " + actualBytes
                        + " bytes but shape " + Arrays.toString(shape) + " of float32 needs " + expectedBytes
                        + (actualBytes < expectedBytes ? " (truncated file)" : " (trailing bytes)"));
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + count + " elements do not fit one Java array");
            }
            byte[] raw = in.readNBytes((int) expectedBytes);
            if (raw.length != expectedBytes) {
                throw new IOException(file + ": truncated at offset " + (dataOffset + raw.length));
            }
            float[] data = new float[(int) count];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            return new Float32Array(shape, data);
        }
    }

    private static String field(Path file, String header, Pattern p, String name) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header field '" + name + "' missing in " + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(Path file, String text) throws IOException {
        String t = text.trim();
        if (t.isEmpty()) {
            return new long[0];
        }
        String[] parts = t.split(",");
        int n = parts[parts.length - 1].trim().isEmpty() ? parts.length - 1 : parts.length;
        long[] shape = new long[n];
        for (int i = 0; i < n; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].trim().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": header field 'shape' has a bad entry '" + parts[i].trim() + "'", e);
            }
            if (shape[i] < 0) {
                throw new IOException(file + ": header field 'shape' has a negative entry " + shape[i]);
            }
        }
        return shape;
    }
}
