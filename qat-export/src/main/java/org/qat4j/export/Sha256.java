package org.qat4j.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 (FIPS 180-4) of a file's bytes, in lowercase hex: ties generated code to the exact model and certificate files. */
public final class Sha256 {
    private Sha256() {}

    /** Hex digest of {@code bytes}. */
    public static String of(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Hex digest of a file. */
    public static String of(Path file) throws IOException {
        return of(Files.readAllBytes(file));
    }
}
