package org.qat4j.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * The streaming certificate reader against the tree reader it replaces: on the writer's certificates
 * it streams, and on every edited text — each channel field removed, nulled, quoted, written as
 * {@code 1.0}, {@code 1e0}, beyond 64 bits, changed by one, given twice, an unknown field, bounds and
 * channels of the wrong JSON type, truncations, trailing content — the checker's report (every
 * problem's kind, layer, channel and message, every row) is the tree reading's, element for element.
 */
class CertificateReaderTest {
    private static final String[] CHANNEL_FIELDS = {
        "channel",
        "weightSha256",
        "negativeSum",
        "positiveSum",
        "bitsNeeded",
        "signedBitsNeeded",
        "holds",
        "l1Norm",
        "positiveWeightSum",
        "negativeWeightSum"
    };

    private static List<IntegerModel> models() {
        return List.of(
                TestModels.mlpFixed(11, 6, 4, 3),
                TestModels.cnnFixed(3),
                TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q, 16, 6, 5, 3),
                TestModels.mlpA2q(6, A2qConstraint.Variant.A2Q_PLUS, 16, 6, 5, 3));
    }

    /** The report of the tree reading, with a text the tree refuses as the public checker words it. */
    private static CheckReport treeReport(IntegerModel model, String text) {
        StatedCertificate tree;
        try {
            tree = CertificateReader.tree(text);
        } catch (ModelFormatException e) {
            return new CheckReport(
                    List.of(new CheckReport.Problem(CheckReport.Kind.MALFORMED, null, -1, e.getMessage())),
                    List.of(),
                    0);
        }
        assertFalse(tree.streamed());
        return CertificateChecker.check(model, tree);
    }

    /** Asserts the streamed and the tree reading report the same; returns whether the edit was refused. */
    private static boolean sameAsTree(IntegerModel model, String text, String what) {
        CheckReport tree = treeReport(model, text);
        assertEquals(tree, CertificateChecker.check(model, text), what);
        return !tree.problems().isEmpty();
    }

    @Test
    void theWritersCertificatesStreamAndCheckAsTheTreeDoes() {
        for (IntegerModel model : models()) {
            String text = CertificateWriter.toJson(CertificateProver.prove(model));
            assertTrue(CertificateReader.read(text).streamed());
            CheckReport r = CertificateChecker.check(model, text);
            assertTrue(r.holds(), r.table());
            assertEquals(treeReport(model, text), r);
        }
    }

    @Test
    void everyEditedChannelFieldIsReportedAsTheTreeReportsIt() {
        for (IntegerModel model : models()) {
            String text = CertificateWriter.toJson(CertificateProver.prove(model));
            for (String field : CHANNEL_FIELDS) {
                Matcher m = Pattern.compile("\"" + field + "\": ([^,\\n]+)").matcher(text);
                List<int[]> spans = new ArrayList<>();
                while (m.find()) {
                    spans.add(new int[] {m.start(), m.end(), m.start(1)});
                }
                if (spans.isEmpty()) {
                    continue;
                }
                // the first and the last occurrence: the first channel of the first layer, the last of the last
                for (int[] s : List.of(spans.get(0), spans.get(spans.size() - 1))) {
                    String value = text.substring(s[2], s[1]);
                    String head = text.substring(0, s[0]);
                    String tail = text.substring(s[1]);
                    String key = "\"" + field + "\": ";
                    int refused = 0;
                    List<String> edits = edits(value);
                    for (String edited : edits) {
                        refused += sameAsTree(model, head + key + edited + tail, field + " = " + edited) ? 1 : 0;
                    }
                    // every edit is refused but those equal to the stated value (-0, 0, v.0, ve0 when it is 0)
                    assertTrue(refused >= edits.size() - 4, field + ": " + refused + " of " + edits.size());
                    sameAsTree(model, head + "\"unknownField\": 1" + tail, field + " renamed");
                    sameAsTree(model, head + key + value + ", " + key + value + tail, field + " twice");
                    sameAsTree(model, head + "\"x\": " + value + tail, field + " removed");
                }
            }
        }
    }

    private static List<String> edits(String value) {
        List<String> out = new ArrayList<>(List.of(
                "null",
                "\"" + value.replace("\"", "") + "\"",
                "[1]",
                "{}",
                "1.0",
                "1e0",
                "-0",
                "12345678901234567890",
                "2147483648",
                "true",
                "0"));
        if (value.matches("-?[0-9]+")) {
            out.add(Long.toString(Long.parseLong(value) + 1));
            out.add(value + ".0");
            out.add(value + "e0");
        }
        if (value.startsWith("\"")) {
            out.add("\"0" + value.substring(2));
        }
        if (value.equals("true") || value.equals("false")) {
            out.add(value.equals("true") ? "false" : "true");
        }
        return out;
    }

    @Test
    void boundsChannelsAndLayersOfAnotherShapeAreReportedAsTheTreeReportsThem() {
        IntegerModel model = TestModels.mlpFixed(11, 6, 4, 3);
        String text = CertificateWriter.toJson(CertificateProver.prove(model));
        String[][] replacements = {
            {"\"inputMin\": \\[", "\"inputMin\": [\"1\", "},
            {"\"inputMin\": \\[", "\"inputMin\": [1.5, "},
            {"\"inputMin\": \\[", "\"inputMin\": [12345678901234567890, "},
            {"\"inputMin\": \\[", "\"inputMin\": [0, "},
            {"\"inputMax\": \\[", "\"inputMax\": {}, \"y\": ["},
            {"\"inputMax\": \\[", "\"inputMax\": [], \"inputMax\": ["},
            {"\"channels\": \\[", "\"channels\": [1, "},
            {"\"channels\": \\[", "\"channels\": {}, \"z\": ["},
            {"\"channels\": \\[", "\"x\": ["},
            {"\"layers\": \\[", "\"layers\": [1, "},
            {"\"layers\": \\[", "\"layers\": {}, \"w\": ["},
            {"\"layers\": \\[", "\"layers\": [], \"layers\": ["},
            {"\"layer\": ", "\"layer\": 1, \"layer\": "},
            {"\"verdict\": \"holds\"", "\"verdict\": \"fails\""},
            {"\"accumulatorBits\": ", "\"accumulatorBits\": 1"},
            {"\"format\": ", "\"format\": 1, \"format\": "},
        };
        for (String[] r : replacements) {
            sameAsTree(model, text.replaceFirst(r[0], r[1]), r[1]);
        }
        sameAsTree(model, text + " {}", "trailing content");
        sameAsTree(model, "[" + text + "]", "an array");
        sameAsTree(model, "", "empty");
        Random rnd = new Random(15);
        for (int n = 0; n < 40; n++) {
            int cut = rnd.nextInt(text.length());
            sameAsTree(model, text.substring(0, cut), "cut at " + cut);
        }
    }
}
