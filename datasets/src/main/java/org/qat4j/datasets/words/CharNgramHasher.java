package org.qat4j.datasets.words;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Character n-gram features of a word as embedding-bag indices (fastText-style, Bojanowski et al.
 * 2017, arXiv 1607.04606 §3.2): the word is wrapped as {@code <word>}, every n-gram for n in
 * {@code [minN, maxN]} is hashed with 32-bit FNV-1a over its UTF-8 bytes into {@code buckets} rows;
 * the first {@code positions} indices are kept, the rest of the slots hold −1 (padding, selects no row).
 */
public record CharNgramHasher(int buckets, int minN, int maxN, int positions) {
    /** Validates the ranges. */
    public CharNgramHasher {
        if (buckets < 1 || minN < 1 || maxN < minN || positions < 1) {
            throw new IllegalArgumentException(
                    "buckets = " + buckets + ", n in [" + minN + ", " + maxN + "], positions = " + positions);
        }
    }

    /** The indices of {@code word}, length {@link #positions()}. */
    public int[] indices(String word) {
        int[] out = new int[positions];
        Arrays.fill(out, -1);
        String w = "<" + word + ">";
        int[] cps = w.codePoints().toArray();
        int k = 0;
        for (int n = minN; n <= maxN && k < positions; n++) {
            for (int s = 0; s + n <= cps.length && k < positions; s++) {
                out[k++] = Math.floorMod(fnv1a(new String(cps, s, n).getBytes(StandardCharsets.UTF_8)), buckets);
            }
        }
        return out;
    }

    static int fnv1a(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
