package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.qat4j.onnx.OnnxExport;
import org.qat4j.onnx.OnnxExportException;
import org.qat4j.onnx.OnnxExporter;
import org.qat4j.onnx.OnnxForm;
import org.qat4j.onnx.OnnxGraphCheck;
import org.qat4j.runtime.model.IntegerModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat export-onnx --model M --out model.onnx}: writes the integer model as an ONNX graph that
 * ONNX Runtime runs bit for bit like the Java runtime, in the QCDQ form when every dense/conv operand
 * fits 8 bits and the certificate bounds every partial sum below 2^24, else in the exact fixed-point
 * form; prints the form and why. Exit codes ({@link ExitCode}): 0 written, 2 bad option, 3 unreadable model
 * or unwritable file, 5 the model cannot be exported in the requested form (the message says why). The
 * file is written through a temporary file and a rename; nothing is written on a refusal.
 */
@Command(
        name = "export-onnx",
        mixinStandardHelpOptions = true,
        description =
                "Export an integer model to ONNX (QCDQ or exact fixed-point form) that ONNX Runtime runs bit for bit.")
public final class ExportOnnxCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "M",
            description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "ONNX file to write (e.g. model.onnx).")
    Path out;

    @Option(
            names = "--form",
            defaultValue = "auto",
            paramLabel = "FORM",
            description =
                    "auto (QCDQ where it is proven exact, else exact-fixed-point), qcdq or exact-fixed-point (default ${DEFAULT-VALUE}).")
    String form;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        OnnxForm requested = null;
        if (!form.equals("auto")) {
            try {
                requested = OnnxForm.byLabel(form);
            } catch (IllegalArgumentException e) {
                throw UserError.usage("--form " + form + ": unknown form; known: auto, qcdq, exact-fixed-point");
            }
        }
        IntegerModel m = ModelFiles.read("--model", model);
        OnnxExport export;
        try {
            export = requested == null ? OnnxExporter.export(m) : OnnxExporter.export(m, requested);
        } catch (OnnxExportException e) {
            throw UserError.of(ExitCode.TRAINING_FAILED, "--model " + model + ": " + e.getMessage(), e);
        }
        List<String> problems = OnnxGraphCheck.check(export.model());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the exported graph fails the ONNX checks: " + String.join("; ", problems));
        }
        if (Files.isDirectory(out)) {
            throw UserError.usage("--out " + out + ": is a directory, expected a file name such as model.onnx");
        }
        try {
            export.write(out);
        } catch (IOException e) {
            throw UserError.input("--out " + out + ": cannot write: " + ErrorReporter.message(e), e);
        }
        var g = export.model().getGraph();
        o.println("ONNX graph form: " + export.form().label() + " (" + export.reason() + ")");
        o.println("wrote " + out + ": opset " + export.model().getOpsetImport(0).getVersion() + ", " + g.getNodeCount()
                + " nodes, " + g.getInitializerCount() + " initializers, " + export.bytes().length + " bytes");
        o.println("check it: qat verify --onnx " + out + " --model " + model);
        o.flush();
        return ExitCode.OK;
    }
}
