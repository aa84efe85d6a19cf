package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.qat4j.onnx.OnnxExport;
import org.qat4j.onnx.OnnxExportException;
import org.qat4j.onnx.OnnxExporter;
import org.qat4j.onnx.OnnxForm;
import org.qat4j.onnx.OnnxGraphCheck;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat export-onnx --model M --out model.onnx}: writes the integer model as an ONNX graph that
 * ONNX Runtime runs bit for bit like the Java runtime, in the QCDQ form when every dense/conv operand
 * fits 8 bits and the certificate bounds every partial sum below 2^24, else in the exact fixed-point
 * form; prints the form and why. Exit 0 on success, 1 if the model cannot be exported in the requested
 * form, 2 if an option or file is wrong. The file is written through a temporary file and a rename.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Export an integer model to ONNX (QCDQ or exact fixed-point form) that ONNX Runtime runs bit for bit.")
public final class ExportOnnxCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "M", description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "ONNX file to write (e.g. model.onnx).")
    Path out;

    @Option(names = "--form", defaultValue = "auto", paramLabel = "FORM",
            description = "auto (QCDQ where it is proven exact, else exact-fixed-point), qcdq or exact-fixed-point (default ${DEFAULT-VALUE}).")
    String form;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OnnxForm requested = null;
        if (!form.equals("auto")) {
            try {
                requested = OnnxForm.byLabel(form);
            } catch (IllegalArgumentException e) {
                err.println("--form: " + e.getMessage().replace("ONNX form", "value") + ", or auto");
                err.flush();
                return 2;
            }
        }
        IntegerModel m;
        try {
            m = ModelReader.read(model);
        } catch (NoSuchFileException e) {
            err.println("--model: no such file: " + model);
            err.flush();
            return 2;
        } catch (IOException | ModelFormatException e) {
            err.println("--model: cannot read " + model + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        OnnxExport export;
        try {
            export = requested == null ? OnnxExporter.export(m) : OnnxExporter.export(m, requested);
        } catch (OnnxExportException e) {
            err.println("qat export-onnx: " + model + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        List<String> problems = OnnxGraphCheck.check(export.model());
        if (!problems.isEmpty()) {
            err.println("qat export-onnx: the graph fails the ONNX checks, nothing written: " + String.join("; ", problems));
            err.flush();
            return 1;
        }
        try {
            export.write(out);
        } catch (IOException e) {
            err.println("--out: cannot write " + out + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        var g = export.model().getGraph();
        o.println("ONNX graph form: " + export.form().label() + " (" + export.reason() + ")");
        o.println("wrote " + out + ": opset " + export.model().getOpsetImport(0).getVersion() + ", " + g.getNodeCount() + " nodes, "
                + g.getInitializerCount() + " initializers, " + export.bytes().length + " bytes");
        o.println("check it: qat verify --onnx " + out + " --model " + model);
        o.flush();
        return 0;
    }
}
