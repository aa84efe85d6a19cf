package org.qat4j.datasets.words;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharNgramHasherTest {

    @Test
    void fnv1aMatchesTheReferenceVectors() {
        // FNV-1a 32-bit test vectors (Fowler/Noll/Vo): "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968
        assertEquals(0x811c9dc5, CharNgramHasher.fnv1a(new byte[0]));
        assertEquals(0xe40c292c, CharNgramHasher.fnv1a("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0xbf9cf968, CharNgramHasher.fnv1a("foobar".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void countsGramsInOrderAndPadsWithMinusOne() {
        CharNgramHasher h = new CharNgramHasher(1 << 20, 1, 2, 12);
        int[] idx = h.indices("ab"); // "<ab>": 4 unigrams + 3 bigrams = 7, then 5 padding slots
        assertEquals(Math.floorMod(CharNgramHasher.fnv1a("<".getBytes(StandardCharsets.UTF_8)), 1 << 20), idx[0]);
        assertEquals(Math.floorMod(CharNgramHasher.fnv1a("b>".getBytes(StandardCharsets.UTF_8)), 1 << 20), idx[6]);
        assertArrayEquals(new int[] {-1, -1, -1, -1, -1}, java.util.Arrays.copyOfRange(idx, 7, 12));
        assertEquals(3, new CharNgramHasher(16, 1, 4, 3).indices("éléphant").length);
        for (int i : new CharNgramHasher(16, 1, 4, 40).indices("éléphant")) {
            assertTrue(i >= -1 && i < 16);
        }
    }

    @Test
    void missingListsNameTheirPackages(@TempDir Path tmp) {
        assertEquals(5, DebianWordLists.missingPackages(tmp).size());
        Exception e = assertThrows(java.io.IOException.class, () -> DebianWordLists.read(tmp));
        assertTrue(
                e.getMessage().contains("apt-get install -y wamerican wfrench wngerman wspanish witalian"),
                e.getMessage());
    }
}
