package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.RunMetrics;

/**
 * {@code qat train a2q-fashion-cnn --init-from PTQ_RUN} on real Fashion-MNIST (the first 1,000 training and 500
 * test images): a float twin, a min-max PTQ run with the recipe's widths (W4A4, first and last layers 8-bit), then a
 * QAT run started from it whose first evaluation equals the PTQ model's integer test accuracy exactly, and refused
 * commands (another recipe's PTQ run, an unfinished PTQ run) that write nothing.
 */
class InitFromPtqCommandTest {

    @TempDir
    static Path dir;

    static Path data;
    static Path floatRun;
    static Path ptqRun;

    @BeforeAll
    static void floatAndPtq() throws Exception {
        data = FashionMnistSubset.write(dir.resolve("data"), 1000, 500);
        floatRun = PtqRuns.floatRun("a2q-fashion-cnn", dir.resolve("float"), "--data-dir", data.toString());
        ptqRun = dir.resolve("ptq");
        CliCapture p =
                PtqRuns.ptq("minmax-channel", floatRun, 4, 4, ptqRun, "--first-last-bits", "8", "--calibration", "128");
        assertEquals(0, p.code(), p.out() + p.err());
        assertTrue(Files.isRegularFile(ptqRun.resolve("twin.params")));
    }

    @Test
    void qatStartsAtThePtqModelsIntegerAccuracy() throws Exception {
        Path out = dir.resolve("qat");
        CliCapture c = CliCapture.run(
                "train",
                "a2q-fashion-cnn",
                "--variant",
                "unconstrained",
                "--init-from",
                ptqRun.toString(),
                "--epochs",
                "1",
                "--train-limit",
                "64",
                "--data-dir",
                data.toString(),
                "--out",
                out.toString());
        assertEquals(0, c.code(), c.out() + c.err());
        RunMetrics ptq = RunMetrics.read(ptqRun.resolve("metrics.json"));
        RunMetrics qat = RunMetrics.read(out.resolve("metrics.json"));
        double start = ((Number) qat.getExtra().get("testAccuracyAfterInit")).doubleValue();
        // same layers, same widths, same integers and steps: the network before its first step is the PTQ model
        assertEquals(ptq.getIntegerTestAccuracy(), start, 0.0);
        assertEquals(0L, qat.getBitExactMismatches());
    }

    @Test
    void incompatibleRunsAreRefusedAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("refused");
        // a PTQ run of another recipe's float twin
        Path other = dir.resolve("other-ptq");
        Files.createDirectories(other);
        Files.writeString(
                other.resolve("ptq.json"),
                Files.readString(ptqRun.resolve("ptq.json")).replace("\"a2q-fashion-cnn\"", "\"hgq-fashion-cnn\""));
        CliCapture recipe = CliCapture.run(
                "train",
                "a2q-fashion-cnn",
                "--variant",
                "a2q+",
                "--init-from",
                other.toString(),
                "--epochs",
                "1",
                "--data-dir",
                data.toString(),
                "--out",
                out.toString());
        assertEquals(2, recipe.code(), recipe.out() + recipe.err());
        assertTrue(
                recipe.err().contains("is a PTQ run of recipe hgq-fashion-cnn, this run is a2q-fashion-cnn"),
                recipe.err());
        assertFalse(recipe.err().contains("\tat "), recipe.err());
        // an unfinished PTQ run (no metrics.json)
        Path unfinished = dir.resolve("unfinished-ptq");
        Files.createDirectories(unfinished);
        Files.copy(ptqRun.resolve("ptq.json"), unfinished.resolve("ptq.json"));
        CliCapture partial = CliCapture.run(
                "train",
                "a2q-fashion-cnn",
                "--init-from",
                unfinished.toString(),
                "--epochs",
                "1",
                "--data-dir",
                data.toString(),
                "--out",
                out.toString());
        assertEquals(2, partial.code(), partial.out() + partial.err());
        assertTrue(partial.err().contains("is an unfinished PTQ run (no metrics.json)"), partial.err());
        assertFalse(Files.exists(out), "a refused run leaves no directory");
        // the PTQ run a QAT run started from is not changed
        assertTrue(Files.isRegularFile(ptqRun.resolve("metrics.json")));
    }
}
