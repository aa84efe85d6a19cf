package org.qat4j.examples.recipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.Sha256;
import org.qat4j.export.verilog.VerilogExporter;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;

/**
 * The combinational Verilog export (module {@code net}) of a finished run directory's
 * {@code integer-model.json}, its widths checked against the run's {@code certificate.json} by the
 * independent checker — what {@code qat export-verilog --model RUN/integer-model.json --certificate
 * RUN/certificate.json} writes, for the result tables that read run directories.
 */
final class RunVerilog {
    private RunVerilog() {}

    /** The run's model. */
    static IntegerModel model(Path run) throws IOException {
        return ModelReader.read(run.resolve("integer-model.json"));
    }

    /** Writes the export into {@code dir} (created atomically; it must not exist). */
    static void export(Path run, IntegerModel model, Path dir) throws IOException {
        Path modelFile = run.resolve("integer-model.json");
        Path certFile = run.resolve("certificate.json");
        CertifiedWidths w = CertifiedWidths.check(model, Files.readString(certFile), certFile.toString());
        AtomicFiles.writeDirectory(
                dir,
                d -> VerilogExporter.export(
                        model,
                        w,
                        "net",
                        0,
                        d,
                        modelFile.getFileName().toString(),
                        Sha256.of(modelFile),
                        Sha256.of(certFile)));
    }
}
