package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.export.ExportException;
import org.qat4j.export.Register;
import org.qat4j.export.verilog.VerilogExporter;
import org.qat4j.runtime.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat export-verilog}: synthesizable Verilog-2005 from a fixed-point (HGQ) integer model
 * ({@link VerilogExporter}): every accumulator exactly as wide as the checked certificate proves its
 * channel needs. A2Q/A2Q+ models (float32 scales) are refused naming the op. Same files and exit codes
 * as {@code qat export-c} ({@link ExportCCommand}).
 */
@Command(
        name = "export-verilog",
        mixinStandardHelpOptions = true,
        description = "Write Verilog-2005 (<name>.v, tb.v, ports.json, widths.json) from a fixed-point integer model.")
public final class ExportVerilogCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(
            names = "--certificate",
            description = "Certificate file; default: prove one and write DIR/certificate.json.")
    Path certificate;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory: new, or empty.")
    Path out;

    @Option(
            names = "--name",
            defaultValue = "model",
            description = "Module name and file stem (default ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--pipeline",
            defaultValue = "0",
            paramLabel = "N",
            description = "Register the outputs of every N-th activation quantizer (0: combinational, the default).")
    int pipeline;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw UserError.usage(
                    "--name " + name + ": not a Verilog identifier (letters, digits, _; not starting with a digit)");
        }
        if (pipeline < 0) {
            throw UserError.usage("--pipeline must be >= 0, got " + pipeline);
        }
        ExportCCommand.requireNewOrEmpty("--out", out);
        ExportCCommand.Certified c = ExportCCommand.Certified.load(model, certificate);
        VerilogExporter.Generated g;
        try {
            // generate first: a refused model (A2Q, unsupported op) writes nothing
            g = VerilogExporter.generate(
                    c.model(), c.widths(), name, pipeline, model.getFileName().toString(), c.modelSha(), c.certSha());
        } catch (ExportException e) {
            throw UserError.of(ExitCode.FAILED, e.getMessage(), e);
        }
        Files.deleteIfExists(out);
        AtomicFiles.writeDirectory(out, dir -> {
            if (c.provenText() != null) {
                AtomicFiles.writeString(dir.resolve("certificate.json"), c.provenText());
            }
            VerilogExporter.export(
                    c.model(),
                    c.widths(),
                    name,
                    pipeline,
                    dir,
                    model.getFileName().toString(),
                    c.modelSha(),
                    c.certSha());
        });
        PrintWriter o = spec.commandLine().getOut();
        for (String f : g.files().keySet()) {
            o.println("wrote " + out.resolve(f));
        }
        o.println("wrote " + out.resolve("widths.json") + " (" + g.registers().size()
                + " accumulator registers, latency " + g.ports().latency() + " cycles)");
        int total = 0;
        for (Register r : g.registers()) {
            total += r.declaredBits();
        }
        o.println("  accumulator bits in total: " + total + " (each exactly the certified need of its channel)");
        o.flush();
        return ExitCode.OK;
    }
}
