package org.qat4j.runtime.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 (FIPS 180-4) of one channel's integers — weights as int32 little-endian in stored order,
 * then the bias as int64 little-endian — streamed through one reused buffer, so hashing allocates
 * nothing per weight. One instance per thread.
 */
final class ChannelHasher {
    private static final int CHUNK_INTS = 4096;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final MessageDigest sha;
    private final byte[] bytes = new byte[CHUNK_INTS * 4];
    private final ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    private final IntBuffer ints = le.asIntBuffer();
    private final byte[] digest = new byte[32];

    ChannelHasher() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Hex SHA-256 of {@code w[0..count)} then {@code bias}. */
    String hash(int[] w, int count, long bias) {
        for (int from = 0; from < count; from += CHUNK_INTS) {
            int n = Math.min(CHUNK_INTS, count - from);
            ints.clear();
            ints.put(w, from, n);
            sha.update(bytes, 0, n * 4);
        }
        le.putLong(0, bias);
        sha.update(bytes, 0, 8);
        try {
            sha.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        char[] hex = new char[64];
        for (int i = 0; i < 32; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 15];
            hex[2 * i + 1] = HEX[digest[i] & 15];
        }
        return new String(hex);
    }
}
