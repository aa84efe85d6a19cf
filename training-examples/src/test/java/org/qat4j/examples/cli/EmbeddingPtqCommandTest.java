package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qat ptq rows4 --recipe langid} (one row-wise method through the export pipeline into a run directory) and the
 * refusals of it and of the deprecated {@code qat ptq-embedding}: exit code, message naming the option and value,
 * nothing written.
 */
class EmbeddingPtqCommandTest {

    @Test
    void rows4OfTheLanguageIdNetworkEndsCertifiedAndBitExact(@TempDir Path tmp) throws Exception {
        assertEquals(
                java.util.List.of(),
                org.qat4j.datasets.words.DebianWordLists.missingPackages(org.qat4j.datasets.words.DebianWordLists.DICT),
                "word lists missing: apt-get install them (.ci/run does)");
        Path out = tmp.resolve("rows4");
        CliCapture c = CliCapture.run(
                "ptq",
                "rows4",
                "--recipe",
                "langid",
                "--train-words",
                "1500",
                "--test-words",
                "300",
                "--buckets",
                "1024",
                "--dim",
                "16",
                "--out",
                out.toString());
        assertEquals(ExitCode.OK, c.code(), c.out() + c.err());
        org.qat4j.examples.run.RunMetrics m = org.qat4j.examples.run.RunMetrics.read(out.resolve("metrics.json"));
        assertEquals(Boolean.TRUE, m.getCertificateValid());
        assertEquals(0L, m.getBitExactMismatches());
        assertEquals(
                1500L + 2000L, m.getBitExactInputs()); // every test word, 1,000 random and 1,000 adversarial inputs
        assertTrue(Files.readString(out.resolve("integer-model.json")).contains("\"op\": \"embedding\""));
        assertTrue(c.out().contains("4-bit greedy: table"), c.out());

        CliCapture recipe = CliCapture.run(
                "ptq",
                "rows4",
                "--recipe",
                "hgq-fashion-cnn",
                "--out",
                tmp.resolve("c").toString());
        assertEquals(ExitCode.USAGE, recipe.code());
        assertTrue(recipe.err().contains("not of --recipe hgq-fashion-cnn"), recipe.err());
        CliCapture bits = CliCapture.run(
                "ptq",
                "codebook",
                "--weight-bits",
                "4",
                "--out",
                tmp.resolve("c").toString());
        assertEquals(ExitCode.USAGE, bits.code());
        assertTrue(bits.err().contains("--weight-bits is not used by codebook"), bits.err());
        CliCapture method = CliCapture.run(
                "ptq", "lapq", "--recipe", "langid", "--out", tmp.resolve("c").toString());
        assertEquals(ExitCode.USAGE, method.code());
        assertTrue(method.err().contains("METHOD must be one of rows8, rows4"), method.err());
        CliCapture missing = CliCapture.run(
                "ptq",
                "mse",
                "--weight-bits",
                "4",
                "--act-bits",
                "4",
                "--out",
                tmp.resolve("c").toString());
        assertEquals(ExitCode.USAGE, missing.code());
        assertTrue(missing.err().contains("--float-run"), missing.err());
        assertTrue(!Files.exists(tmp.resolve("c")));
        Path existing = Files.createDirectories(tmp.resolve("taken"));
        CliCapture taken = CliCapture.run("ptq", "rows8", "--recipe", "langid", "--out", existing.toString());
        assertEquals(ExitCode.RUN_REFUSED, taken.code(), taken.err());
    }

    @Test
    void refusesBadOptionsMissingListsAndAnExistingOut(@TempDir Path tmp) throws Exception {
        CliCapture bad = CliCapture.run(
                "ptq-embedding", "--epochs", "0", "--out", tmp.resolve("a").toString());
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("--epochs must be >= 1, got 0"), bad.err());

        CliCapture noLists = CliCapture.run(
                "ptq-embedding",
                "--dict",
                tmp.resolve("nodict").toString(),
                "--out",
                tmp.resolve("b").toString());
        assertEquals(ExitCode.INPUT, noLists.code());
        assertTrue(
                noLists.err().contains("apt-get install -y wamerican wfrench wngerman wspanish witalian"),
                noLists.err());

        Path existing = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        CliCapture taken = CliCapture.run("ptq-embedding", "--out", existing.toString());
        assertEquals(ExitCode.RUN_REFUSED, taken.code(), taken.err());
        assertTrue(taken.err().contains("--out " + existing), taken.err());
        assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
        assertTrue(!Files.exists(tmp.resolve("a")) && !Files.exists(tmp.resolve("b")));
    }
}
