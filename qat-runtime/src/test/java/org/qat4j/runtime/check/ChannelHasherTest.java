package org.qat4j.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.prove.ChannelHash;

/**
 * The checker's streaming channel hash (4,096 ints per chunk through one reused buffer) against the prover's
 * one-shot {@link ChannelHash} — two implementations of the certificate's weight hash that share no code —
 * and against known SHA-256 values of the byte layout (weights int32 little-endian, then the bias int64
 * little-endian). One hasher is reused across channels of every length around the chunk size, as the checker
 * does, so state left from an earlier channel would show.
 */
class ChannelHasherTest {

    @Test
    void knownAnswers() {
        ChannelHasher hasher = new ChannelHasher();
        // sha256 of 8 zero bytes (no weights, bias 0) and of 01000000 ffffffff 0700000000000000
        assertEquals("af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc", hasher.hash(new int[0], 0, 0));
        assertEquals(
                "65b8c91403e3a1d0d5df04ea28c2a5aeee288af8614b1b44298e5bde4c88fef8",
                hasher.hash(new int[] {1, -1, 99}, 2, 7));
        assertEquals(hasher.hash(new int[] {1, -1}, 2, 7), ChannelHash.of(new int[] {5, 1, -1}, 1, 2, 7));
    }

    @Property(tries = 40)
    void checkerAndProverHashAlikeAcrossChunkBoundaries(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        ChannelHasher hasher = new ChannelHasher();
        int[] lengths = {0, 1, 4095, 4096, 4097, 8192, 8193, rnd.nextInt(12_000)};
        for (int n : lengths) {
            int[] w = new int[n + 3];
            for (int t = 0; t < w.length; t++) {
                w[t] = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(255) - 127;
            }
            long bias = rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(2001) - 1000;
            int[] head = java.util.Arrays.copyOf(w, n);
            assertEquals(ChannelHash.of(w, 0, n, bias), hasher.hash(head, n, bias), "length " + n);
            // the stored array may be longer than the channel: only the first n count
            assertEquals(ChannelHash.of(w, 0, n, bias), hasher.hash(w, n, bias), "length " + n + " in a longer array");
        }
    }
}
