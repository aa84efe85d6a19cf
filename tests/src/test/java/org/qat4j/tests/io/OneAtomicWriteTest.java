package org.qat4j.tests.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
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
    private static final Pattern DIRECT_WRITE = Pattern.compile(
            "(?<![\\w])Files\\s*\\.\\s*(write|writeString|"
                    + "newOutputStream|newBufferedWriter|createTempFile|createTempDirectory|copy|move)\\s*\\(|new\\s+("
                    + "FileOutputStream|FileWriter|RandomAccessFile)\\s*\\(|ATOMIC_MOVE|ImageIO\\s*\\.\\s*write\\s*\\([^)]*new\\s+File");

    private static final String THE_ONE = "qat-runtime/src/main/java/org/qat4j/runtime/io/AtomicFiles.java";

    @Test
    void noMainSourceWritesAFileExceptAtomicFiles() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        assertTrue(Files.isRegularFile(root.resolve(THE_ONE)), "run from the tests module of the reactor: " + root);
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java")))
                    .toList()) {
                try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
                    for (Path source :
                            sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                        scanned++;
                        String rel = root.relativize(source).toString();
                        if (rel.equals(THE_ONE)) {
                            continue;
                        }
                        // the whole file at once, comments blanked: a formatter may split a call over lines
                        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
                        StringBuilder code = new StringBuilder();
                        for (String line : lines) {
                            String s = line.strip();
                            code.append(s.startsWith("*") || s.startsWith("//") || s.startsWith("/*") ? "" : line)
                                    .append('\n');
                        }
                        Matcher m = DIRECT_WRITE.matcher(code);
                        while (m.find()) {
                            int lineNo = 1
                                    + (int) code.substring(0, m.start())
                                            .chars()
                                            .filter(c -> c == '\n')
                                            .count();
                            offenders.add(rel + ":" + lineNo + ": "
                                    + lines.get(lineNo - 1).strip());
                        }
                    }
                }
            }
        }
        assertTrue(scanned > 100, "only " + scanned + " sources found under " + root);
        assertEquals(List.of(), offenders, "write through org.qat4j.runtime.io.AtomicFiles instead");
    }
}
