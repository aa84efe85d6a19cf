package org.qat4j.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * An expected digest of a data file: of its bytes as stored, or of its decompressed bytes (for gzip
 * files whose compressed form differs between mirrors although the data is the same).
 *
 * @param algorithm a {@link MessageDigest} name, e.g. {@code SHA-1} or {@code SHA-256}
 * @param hex the expected digest, lower-case hex
 * @param ofDecompressedContent whether the digest is of the gunzipped bytes
 */
public record Checksum(String algorithm, String hex, boolean ofDecompressedContent) {

    /** Validates the algorithm and the digest's form. */
    public Checksum {
        try {
            MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm: " + algorithm, e);
        }
        hex = hex.toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("digest is not hex: " + hex);
        }
    }

    /** SHA-1 of the file as stored. */
    public static Checksum sha1(String hex) {
        return new Checksum("SHA-1", hex, false);
    }

    /** SHA-256 of the gunzipped content. */
    public static Checksum sha256OfContent(String hex) {
        return new Checksum("SHA-256", hex, true);
    }

    /** Computes this checksum's digest of {@code file}. */
    public String digest(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = ofDecompressedContent ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Throws a {@link DataFileException} naming both digests if {@code file} does not match. */
    public void verify(Path file) throws IOException {
        String actual;
        try {
            actual = digest(file);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw DataFileException.ofFile(file, "not a complete gzip file: " + e.getMessage(), e);
        }
        if (!actual.equals(hex)) {
            throw DataFileException.ofFile(
                    file,
                    algorithm + (ofDecompressedContent ? " of the decompressed content" : "") + " is " + actual
                            + ", expected " + hex + " (corrupt or wrong download)",
                    null);
        }
    }
}
