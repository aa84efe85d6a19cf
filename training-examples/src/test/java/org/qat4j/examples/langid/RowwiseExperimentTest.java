package org.qat4j.examples.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.datasets.words.DebianWordLists;
import org.qat4j.runtime.check.CertificateChecker;

/**
 * Row-wise embedding PTQ on real data (Debian word lists): every variant certified, accepted by the checker
 * from its files, and bit-exact against the DJL FLOAT64 twin on every test word. Needs the packages
 * wamerican wfrench wngerman wspanish witalian; fails (never skips) without them.
 */
class RowwiseExperimentTest {

    static void requireWordLists() {
        List<String> missing = DebianWordLists.missingPackages(DebianWordLists.DICT);
        if (!missing.isEmpty()) {
            fail("word lists missing under /usr/share/dict: apt-get install -y " + String.join(" ", missing));
        }
    }

    @Test
    void everyVariantIsCertifiedCheckedAndBitExactOnRealWords(@TempDir Path tmp) throws Exception {
        requireWordLists();
        Path out = tmp.resolve("run");
        RowwiseExperiment.Outcome o =
                new RowwiseExperiment(1500, 300, 1024, 16, 48, 2, 7).run(DebianWordLists.DICT, out, System.out);
        System.out.print(o.table());
        assertTrue(o.allVerified(), o.table());
        assertEquals(6, o.rows().size());
        assertTrue(o.floatAccuracy() > 0.6, "float accuracy " + o.floatAccuracy());
        for (RowwiseExperiment.Row r : o.rows()) {
            assertEquals(
                    (1500 + 2000) * 5,
                    r.compared()); // logits of every test word and of 1,000 random + 1,000 adversarial inputs
            // 8-bit rows lose nothing here; 4-bit rows stay within 3 points of float32 on this small net, 2-bit within
            // 15
            assertTrue(
                    Math.abs(r.accuracy() - o.floatAccuracy()) <= (r.bits() == 8 ? 0.01 : r.bits() == 4 ? 0.03 : 0.15),
                    r + " vs float " + o.floatAccuracy());
        }
        assertTrue(CertificateChecker.check(out.resolve("greedy4/model.json"), out.resolve("greedy4/certificate.json"))
                .holds());
        assertTrue(Files.readString(out.resolve("results.md")).contains("| 4-bit greedy |"));
    }
}
