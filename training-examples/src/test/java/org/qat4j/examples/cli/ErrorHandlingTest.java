package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every expected error of every command: one line (at most three) naming the option or file as typed,
 * the documented exit code, no stack trace unless {@code --debug}, and nothing on disk changed.
 */
class ErrorHandlingTest {

    @TempDir
    Path dir;

    /** Exit code, at most three lines on stderr, no stack trace, and each fragment present. */
    static void assertClearError(CliCapture c, int code, String... fragments) {
        String context = "exit " + c.code() + "\nstdout:\n" + c.out() + "\nstderr:\n" + c.err();
        assertEquals(code, c.code(), context);
        assertFalse(c.err().contains("\tat ") || c.out().contains("\tat "), "stack trace printed\n" + context);
        assertFalse(c.err().contains("Exception") || c.err().contains("Error:"), "exception name printed\n" + context);
        long lines = c.err().lines().filter(l -> !l.isBlank()).count();
        assertTrue(lines >= 1 && lines <= 3, lines + " lines\n" + context);
        for (String f : fragments) {
            assertTrue(c.err().contains(f), "'" + f + "' missing\n" + context);
        }
    }

    @Test
    void badOptionValuesNameTheOptionAsTyped() {
        Path out = dir.resolve("run");
        assertClearError(
                CliCapture.run("train", "--epochz", "3", "--out", out.toString()),
                ExitCode.USAGE,
                "Unknown option: '--epochz'",
                "qat train --help");
        assertClearError(
                CliCapture.run("train", "--epochs", "abc", "--out", out.toString()), ExitCode.USAGE, "--epochs", "abc");
        assertClearError(
                CliCapture.run("train", "--epochs", "0", "--out", out.toString()),
                ExitCode.USAGE,
                "--epochs must be >= 1, got 0");
        assertClearError(
                CliCapture.run("train", "--batch-size", "0", "--out", out.toString()),
                ExitCode.USAGE,
                "--batch-size must be >= 1, got 0");
        assertClearError(
                CliCapture.run("train", "--learning-rate", "-1", "--out", out.toString()),
                ExitCode.USAGE,
                "--learning-rate must be finite and > 0, got -1.0");
        assertClearError(
                CliCapture.run("train", "--learning-rate", "NaN", "--out", out.toString()),
                ExitCode.USAGE,
                "--learning-rate");
        assertClearError(
                CliCapture.run("train", "--train-limit", "-5", "--out", out.toString()),
                ExitCode.USAGE,
                "--train-limit must be >= 0");
        assertClearError(
                CliCapture.run("train", "a2q-fashion-cnn", "--variant", "A2Q_PLUS", "--out", out.toString()),
                ExitCode.USAGE,
                "--variant must be a2q, a2q+ or unconstrained, got A2Q_PLUS");
        // A2Q, unsigned 4-bit inputs: a norm of 1 needs ceil(log2(1 * 2^4 + 1)) + 1 = 6 bits
        assertClearError(
                CliCapture.run(
                        "train", "a2q-fashion-cnn", "--variant", "a2q", "--acc-bits", "5", "--out", out.toString()),
                ExitCode.USAGE,
                "--acc-bits 5 is below 6, the smallest P at which a --variant a2q "
                        + "layer with 4-bit unsigned inputs can hold any non-zero weight");
        assertClearError(
                CliCapture.run("train", "no-such", "--out", out.toString()),
                ExitCode.USAGE,
                "unknown recipe 'no-such'");
        assertClearError(CliCapture.run("smoke", "--count", "0"), ExitCode.USAGE, "--count must be >= 1, got 0");
        assertClearError(CliCapture.run("verify", "--certificate", "c.json"), ExitCode.USAGE, "--model");
        assertClearError(CliCapture.run("frobnicate"), ExitCode.USAGE, "frobnicate");
        assertFalse(Files.exists(out), "a refused command created its --out");
    }

    @Test
    void missingFilesAndDirectoriesAreNamedAsMissing() throws IOException {
        Path out = dir.resolve("run");
        Path nowhere = dir.resolve("no-such-dir");
        assertClearError(
                CliCapture.run("train", "--data-dir", nowhere.toString(), "--out", out.toString()),
                ExitCode.INPUT,
                "--data-dir " + nowhere + ": no such directory");
        assertClearError(
                CliCapture.run(
                        "train",
                        "hgq-jets",
                        "--data",
                        nowhere.resolve("jets.csv").toString(),
                        "--out",
                        out.toString()),
                ExitCode.INPUT,
                "--data " + nowhere.resolve("jets.csv") + ": no such file");
        assertClearError(
                CliCapture.run("train", "a2q-fashion-cnn", "--init-from", nowhere.toString(), "--out", out.toString()),
                ExitCode.INPUT,
                "--init-from " + nowhere + ": no such directory");
        assertClearError(
                CliCapture.run("export", "--run", nowhere.toString()),
                ExitCode.INPUT,
                nowhere.toString(),
                "no such run directory");
        assertClearError(
                CliCapture.run(
                        "certify",
                        "--model",
                        dir.toString(),
                        "--out",
                        dir.resolve("c.json").toString()),
                ExitCode.INPUT,
                "--model " + dir + ": is a directory");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "not json at all");
        assertClearError(
                CliCapture.run(
                        "certify",
                        "--model",
                        garbage.toString(),
                        "--out",
                        dir.resolve("c.json").toString()),
                ExitCode.INPUT,
                "--model " + garbage);
        Path noData = Files.createDirectories(dir.resolve("no-idx-files"));
        assertClearError(
                CliCapture.run("train", "--data-dir", noData.toString(), "--out", out.toString()),
                ExitCode.INPUT,
                "Fashion-MNIST: neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte",
                noData.toString());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("c.json")));
    }

    @Test
    void verifyEndsWithTheVerdictLineEvenOnBadInput() {
        CliCapture c = CliCapture.run(
                "verify",
                "--model",
                dir.resolve("none.json").toString(),
                "--certificate",
                dir.resolve("none-c.json").toString());
        assertClearError(c, ExitCode.INPUT, "--model " + dir.resolve("none.json") + ": no such file");
        assertEquals("NOT VERIFIED", c.out().strip().lines().reduce((a, b) -> b).orElse(""), c.out());
        CliCapture parse = CliCapture.run("verify", "--samples", "x");
        assertEquals(ExitCode.USAGE, parse.code());
        assertTrue(parse.out().strip().endsWith("NOT VERIFIED"), parse.out());
    }

    @Test
    void aCorruptDataFileIsNamedWhateverTheOptions() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        writeGz(
                data.resolve("train-images-idx3-ubyte.gz"),
                new byte[] {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 29});
        writeGz(data.resolve("train-labels-idx1-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 10});
        writeGz(data.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28
        });
        writeGz(data.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 10});
        Path out = dir.resolve("run");
        for (String limit : new String[] {"0", "5"}) {
            CliCapture c = CliCapture.run(
                    "train", "--data-dir", data.toString(), "--train-limit", limit, "--out", out.toString());
            assertClearError(c, ExitCode.INPUT, "train-images-idx3-ubyte.gz");
            assertFalse(Files.exists(out), "a failed run left " + out);
        }
    }

    @Test
    void stackTracesOnlyWithDebug() {
        CliCapture c = CliCapture.run(
                "certify",
                "--model",
                dir.resolve("x.json").toString(),
                "--out",
                dir.resolve("c.json").toString(),
                "--debug");
        assertEquals(ExitCode.INPUT, c.code());
        assertTrue(c.err().contains("\tat "), c.err());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NullPointerException("a defect");
        }
    }

    @Test
    void anUnexpectedFailureIsOneLineWithExitSeventyAndTheWayToReportIt() {
        CommandLine cl = QatCommand.commandLine().addSubcommand(new Boom());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().get("boom").setErr(new PrintWriter(err));
        assertEquals(ExitCode.INTERNAL, cl.execute("boom"));
        assertTrue(err.toString().startsWith("qat boom: internal error: a defect"), err.toString());
        assertTrue(err.toString().contains("--debug"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    private static void writeGz(Path file, byte[] bytes) throws IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
    }
}
