package org.qat4j.tests.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file the project writes goes through {@code org.qat4j.runtime.io.AtomicFiles} (temporary sibling,
 * fsync, atomic rename): no main source of any module opens a file for writing or renames one itself, so a
 * kill or a full disk never leaves a half-written model, certificate, run file, checkpoint or plot.
 */
class OneAtomicWriteTest {

    /** Calls that write or rename a file in place. */
    private static final Pattern DIRECT_WRITE = Pattern.compile("(?<![\\w])Files\\.(write|writeString|newOutputStream|"
            + "newBufferedWriter|createTempFile|createTempDirectory|copy|move)\\s*\\(|new\\s+(FileOutputStream|"
            + "FileWriter|RandomAccessFile)\\s*\\(|ATOMIC_MOVE|ImageIO\\.write\\s*\\([^)]*new File");

    private static final String THE_ONE = "qat-runtime/src/main/java/org/qat4j/runtime/io/AtomicFiles.java";

    @Test
    void noMainSourceWritesAFileExceptAtomicFiles() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        assertTrue(Files.isRegularFile(root.resolve(THE_ONE)), "run from the tests module of the reactor: " + root);
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
                    for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                        scanned++;
                        String rel = root.relativize(source).toString();
                        if (rel.equals(THE_ONE)) {
                            continue;
                        }
                        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
                        for (int i = 0; i < lines.size(); i++) {
                            String line = lines.get(i).strip();
                            if (!line.startsWith("*") && !line.startsWith("//") && DIRECT_WRITE.matcher(line).find()) {
                                offenders.add(rel + ":" + (i + 1) + ": " + line);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(scanned > 100, "only " + scanned + " sources found under " + root);
        assertEquals(List.of(), offenders, "write through org.qat4j.runtime.io.AtomicFiles instead");
    }
}
