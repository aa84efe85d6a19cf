package org.qat4j.runtime.prove;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of one channel's integers: weights as int32 little-endian, then the bias as int64 little-endian. */
public final class ChannelHash {
    private ChannelHash() {}

    /** SHA-256 of int64 values, little-endian (an embedding column). */
    public static String ofLongs(long[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return digest(b.array());
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The hash of channel weights {@code w[from, from + count)} and {@code bias}, in hex. */
    public static String of(int[] w, int from, int count, long bias) {
        ByteBuffer b = ByteBuffer.allocate(count * 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < count; t++) {
            b.putInt(w[from + t]);
        }
        b.putLong(bias);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
