package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.qat4j.export.ExportException;
import org.qat4j.export.PredictionFormat;
import org.qat4j.export.Predictions;
import org.qat4j.runtime.model.IntegerModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat predict}: runs samples through the Java integer runtime and prints the outputs in the
 * format the generated C driver and {@code qat simulate} print ({@link PredictionFormat}), so that
 * {@code cmp} compares implementations. Exit codes ({@link ExitCode}): 0; 1 the model refused an input
 * (NaN, an infinity under WRAP); 3 a missing or malformed model or input file (the line and value named).
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "Print the Java runtime's outputs, one line per input line (comma-separated float32 values).")
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "Input samples, one per line; default: standard input.")
    Path input;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        IntegerModel m = ModelFiles.read("--model", model);
        float[] x = readInputs("--input", input, m.tensor(m.inputName()).numel());
        byte[] text;
        try {
            text = Predictions.predict(m, x);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw UserError.of(ExitCode.FAILED, "the model refused an input: " + e.getMessage(), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(new String(text, StandardCharsets.UTF_8));
        o.flush();
        return ExitCode.OK;
    }

    /** Samples from {@code file} (standard input when null); a missing file or bad line is a {@link UserError}. */
    static float[] readInputs(String option, Path file, int inputSize) throws IOException {
        List<String> lines;
        if (file == null) {
            lines = new java.io.BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    .lines()
                    .toList();
        } else if (!Files.isRegularFile(file)) {
            throw UserError.input(option + " " + file + ": no such file", null);
        } else {
            lines = Files.readAllLines(file);
        }
        try {
            return PredictionFormat.parseInputs(
                    lines, inputSize, file == null ? "standard input" : option + " " + file);
        } catch (ExportException e) {
            throw UserError.input(e.getMessage(), e);
        }
    }
}
