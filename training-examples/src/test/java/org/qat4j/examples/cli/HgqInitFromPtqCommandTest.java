package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.RunMetrics;

/**
 * {@code qat train hgq-fashion-mlp --init-from PTQ_RUN} on real Fashion-MNIST (the first 1,000 training and 500 test
 * images): a float twin, a min-max PTQ run at W8A8, then an HGQ run started from it, and the refusals (another
 * recipe's PTQ run, a directory that is not a PTQ run, {@code --uniform-bits}, a PTQ run without its twin) that exit
 * with their documented codes and write nothing.
 */
class HgqInitFromPtqCommandTest {

    @TempDir
    static Path dir;

    static Path data;
    static Path floatRun;
    static Path ptqRun;

    @BeforeAll
    static void floatAndPtq() throws Exception {
        data = FashionMnistSubset.write(dir.resolve("data"), 1000, 500);
        floatRun = PtqRuns.floatRun("hgq-fashion-mlp", dir.resolve("float"), "--data-dir", data.toString());
        ptqRun = dir.resolve("ptq");
        CliCapture p = PtqRuns.ptq("minmax-channel", floatRun, 8, 8, ptqRun, "--calibration", "128");
        assertEquals(0, p.code(), p.out() + p.err());
    }

    private static CliCapture train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "train",
                "hgq-fashion-mlp",
                "--epochs",
                "1",
                "--train-limit",
                "64",
                "--data-dir",
                data.toString(),
                "--out",
                out.toString()));
        args.addAll(List.of(extra));
        return CliCapture.run(args.toArray(String[]::new));
    }

    /**
     * The min-max steps are not powers of two, so HGQ rounds each weight to the 2^e grid below its step (an error
     * below half a step) and the input pixels to 1/128 instead of 1/127: the start is close to, not equal to, the PTQ
     * model's integer accuracy (HgqFromPtqTest shows equality when every step is a power of two).
     */
    @Test
    void hgqStartsFromThePtqModel() throws Exception {
        Path out = dir.resolve("hgq");
        CliCapture c = train(out, "--init-from", ptqRun.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("Initialized from " + ptqRun.toAbsolutePath()), c.out());
        RunMetrics ptq = RunMetrics.read(ptqRun.resolve("metrics.json"));
        RunMetrics hgq = RunMetrics.read(out.resolve("metrics.json"));
        double start = ((Number) hgq.getExtra().get("testAccuracyAfterInit")).doubleValue();
        assertEquals(ptq.getIntegerTestAccuracy(), start, 0.02, "start " + start);
        assertEquals(0L, hgq.getBitExactMismatches());
    }

    @Test
    void incompatibleStartsAreRefusedAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("refused");
        Path other = dir.resolve("other-ptq");
        Files.createDirectories(other);
        Files.writeString(
                other.resolve("ptq.json"),
                Files.readString(ptqRun.resolve("ptq.json")).replace("\"hgq-fashion-mlp\"", "\"hgq-fashion-cnn\""));
        CliCapture recipe = train(out, "--init-from", other.toString());
        assertEquals(2, recipe.code(), recipe.out() + recipe.err());
        assertTrue(
                recipe.err().contains("is a PTQ run of recipe hgq-fashion-cnn, this run is hgq-fashion-mlp"),
                recipe.err());
        assertFalse(recipe.err().contains("\tat "), recipe.err());

        CliCapture notPtq = train(out, "--init-from", floatRun.toString());
        assertEquals(2, notPtq.code(), notPtq.out() + notPtq.err());
        assertTrue(
                notPtq.err().contains("--init-from " + floatRun.toAbsolutePath() + " is not a qat ptq run"),
                notPtq.err());

        CliCapture uniform = train(out, "--init-from", ptqRun.toString(), "--uniform-bits", "4");
        assertEquals(2, uniform.code(), uniform.out() + uniform.err());
        assertTrue(uniform.err().contains("cannot be combined with --uniform-bits 4"), uniform.err());

        Path noTwin = dir.resolve("no-twin");
        Files.createDirectories(noTwin);
        Files.copy(ptqRun.resolve("ptq.json"), noTwin.resolve("ptq.json"));
        Files.copy(ptqRun.resolve("metrics.json"), noTwin.resolve("metrics.json"));
        CliCapture twin = train(out, "--init-from", noTwin.toString());
        assertEquals(3, twin.code(), twin.out() + twin.err());
        assertTrue(twin.err().contains("twin.params"), twin.err());

        assertFalse(Files.exists(out), "a refused run leaves no directory");
        assertTrue(Files.isRegularFile(ptqRun.resolve("twin.params")), "the PTQ run is not changed");
    }
}
