package org.qat4j.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("metrics.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(List.of("metrics.json"), names());
    }

    @Test
    void aFailingWriterKeepsTheOldContent() throws IOException {
        Path f = dir.resolve("metrics.json");
        AtomicFiles.writeString(f, "good");
        IOException e = assertThrows(
                IOException.class,
                () -> AtomicFiles.write(f, out -> {
                    out.write("half-writ".getBytes());
                    throw new IOException("disk full");
                }));
        assertEquals("disk full", e.getMessage());
        assertEquals("good", Files.readString(f));
        assertEquals(List.of("metrics.json"), names());
    }

    @Test
    void directoriesAppearWholeOrNotAtAll() throws IOException {
        Path target = dir.resolve("epoch-0001");
        assertThrows(
                IOException.class,
                () -> AtomicFiles.writeDirectory(target, d -> {
                    Files.writeString(d.resolve("a"), "x");
                    throw new IOException("crash while saving");
                }));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), names());

        AtomicFiles.writeDirectory(target, d -> {
            Files.writeString(d.resolve("a"), "x");
            Files.writeString(d.resolve("b"), "y");
        });
        assertEquals("y", Files.readString(target.resolve("b")));
        assertEquals(List.of("epoch-0001"), names());
        IOException exists = assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(target, d -> {}));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    }
}
