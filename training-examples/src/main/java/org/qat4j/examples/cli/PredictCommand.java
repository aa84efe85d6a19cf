package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * {@code cmp} compares implementations. Exit codes: 0; 1 the model refused an input (NaN, an infinity
 * under WRAP); 2 a bad option, file or input line.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Print the Java runtime's outputs, one line per input line (comma-separated float32 values).")
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(names = "--input", paramLabel = "FILE", description = "Input samples, one per line; default: standard input.")
    Path input;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        IntegerModel m = ModelFiles.readModel("--model", model, err);
        if (m == null) {
            return 2;
        }
        float[] x = readInputs(input, m.tensor(m.inputName()).numel(), err);
        if (x == null) {
            return 2;
        }
        byte[] text;
        try {
            text = Predictions.predict(m, x);
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("qat predict: the model refused an input: " + e.getMessage());
            err.flush();
            return 1;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(new String(text, StandardCharsets.UTF_8));
        o.flush();
        return 0;
    }

    /** Samples from {@code file} (or standard input when null); null after printing why not. */
    static float[] readInputs(Path file, int inputSize, PrintWriter err) throws IOException {
        List<String> lines;
        String source = file == null ? "standard input" : file.toString();
        try {
            lines = file == null ? new java.io.BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList()
                    : Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            err.println("--input: no such file: " + file);
            return null;
        }
        try {
            return PredictionFormat.parseInputs(lines, inputSize, source);
        } catch (ExportException e) {
            err.println("--input: " + e.getMessage());
            return null;
        }
    }
}
