package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.Register;
import org.qat4j.export.Sha256;
import org.qat4j.export.c.CExporter;
import org.qat4j.runtime.cert.CertificateProver;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.AtomicFiles;
import org.qat4j.runtime.model.IntegerModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat export-c}: C99 from an integer model ({@link CExporter}), every accumulator as wide as the
 * certificate proves after the independent checker has accepted it. Without {@code --certificate} the
 * prover writes {@code DIR/certificate.json} first. Exit codes: 0 written; 1 the certificate does not
 * hold (nothing written); 2 a bad option or unreadable file.
 */
@Command(name = "export-c", mixinStandardHelpOptions = true,
        description = "Write C99 (<name>.h, <name>.c, driver <name>_main.c, widths.json) from an integer model.")
public final class ExportCCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(names = "--certificate", description = "Certificate file; default: prove one and write DIR/certificate.json.")
    Path certificate;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--name", defaultValue = "model", description = "C identifier prefix and file stem (default ${DEFAULT-VALUE}).")
    String name;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            err.println("--name '" + name + "': not a C identifier");
            return 2;
        }
        Certified c;
        try {
            c = Certified.load(model, certificate, out, err);
        } catch (ExportException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (c == null) {
            return 2;
        }
        CExporter.Generated g = CExporter.export(c.model(), c.widths(), name, out, model.getFileName().toString(), c.modelSha(), c.certSha());
        for (String f : g.files().keySet()) {
            o.println("wrote " + out.resolve(f));
        }
        o.println("wrote " + out.resolve("widths.json") + " (" + g.registers().size() + " accumulators)");
        for (Register r : g.registers()) {
            o.printf("  %-28s declared %2d bits, certificate needs %2d%n", r.name(), r.declaredBits(), r.neededBits());
        }
        o.flush();
        return 0;
    }

    /** A model with a checked certificate and both files' SHA-256. */
    record Certified(IntegerModel model, CertifiedWidths widths, String modelSha, String certSha) {
        /**
         * Reads, proves when no certificate is given (writing it into {@code out}), checks.
         *
         * @return null after printing why a file cannot be read
         * @throws ExportException if the checker rejects the certificate
         */
        static Certified load(Path modelFile, Path certFile, Path out, PrintWriter err) throws IOException {
            IntegerModel m = ModelFiles.readModel("--model", modelFile, err);
            if (m == null) {
                return null;
            }
            String text;
            Path cert = certFile;
            if (cert == null) {
                text = CertificateWriter.toJson(CertificateProver.prove(m));
                cert = out.resolve("certificate.json");
                AtomicFiles.write(cert, text.getBytes(StandardCharsets.UTF_8));
            } else {
                text = ModelFiles.readText("--certificate", cert, err);
                if (text == null) {
                    return null;
                }
            }
            CertifiedWidths w = CertifiedWidths.check(m, text, cert.toString());
            return new Certified(m, w, Sha256.of(modelFile), Sha256.of(cert));
        }
    }
}
