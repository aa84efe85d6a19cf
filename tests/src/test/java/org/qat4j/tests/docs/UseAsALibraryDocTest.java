package org.qat4j.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/use-as-a-library.md shows a user's pom and JUnit 5 test; the reactor builds and runs them as the
 * module docs/use-as-a-library. This test keeps the two identical, so the page always shows what CI ran.
 */
class UseAsALibraryDocTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theDocShowsExactlyTheFilesCiBuildsAndRuns() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/use-as-a-library.md"), StandardCharsets.UTF_8);
        Path module = ROOT.resolve("docs/use-as-a-library");
        assertTrue(
                Files.readString(ROOT.resolve("pom.xml")).contains("<module>docs/use-as-a-library</module>"),
                "the root pom must build docs/use-as-a-library");
        assertEquals(Files.readString(module.resolve("pom.xml")), block(doc, "## `pom.xml`", "xml"));
        String test = "src/test/java/com/example/qat/MyModelTest.java";
        assertEquals(Files.readString(module.resolve(test)), block(doc, "## `" + test + "`", "java"));
    }

    /** The first fenced block of {@code language} after {@code heading}, without its fences. */
    static String block(String doc, String heading, String language) {
        int at = doc.indexOf(heading + "\n");
        assertTrue(at >= 0, "no heading " + heading);
        String open = "```" + language + "\n";
        int start = doc.indexOf(open, at);
        assertTrue(start >= 0, "no ```" + language + " block after " + heading);
        start += open.length();
        int end = doc.indexOf("```\n", start);
        assertTrue(end >= 0, "unclosed block after " + heading);
        return doc.substring(start, end);
    }
}
