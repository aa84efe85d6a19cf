package org.qat4j.convert.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.cert.CheckReport;

/** docs/quantize-your-model.md shows {@link QuantizeYourModel} verbatim, and the program runs and certifies. */
class QuantizeYourModelDocTest {

    private static final String SOURCE = "src/test/java/org/qat4j/convert/example/QuantizeYourModel.java";
    private static final String MARKER = "<!-- example: qat-convert/" + SOURCE + " -->\n```java\n";

    @TempDir
    Path dir;

    @Test
    void docShowsTheExampleVerbatim() throws Exception {
        String doc = Files.readString(Path.of("../docs/quantize-your-model.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of(SOURCE), StandardCharsets.UTF_8);
        int start = doc.indexOf(MARKER);
        assertTrue(start >= 0, "docs/quantize-your-model.md lacks the example marker " + MARKER);
        start += MARKER.length();
        int end = doc.indexOf("```\n", start);
        assertEquals(source, doc.substring(start, end), "the doc's code block differs from " + SOURCE);
    }

    @Test
    void exampleRunsAndItsCertificateHolds() throws Exception {
        CheckReport report = QuantizeYourModel.run(dir);
        assertTrue(report.holds(), report.table());
        assertTrue(Files.size(dir.resolve("model.json")) > 0 && Files.size(dir.resolve("certificate.json")) > 0);
    }
}
