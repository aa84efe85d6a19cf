package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.Register;
import org.qat4j.export.Sha256;
import org.qat4j.export.c.CExporter;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.prove.CertificateProver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat export-c}: C99 from an integer model ({@link CExporter}), every accumulator as wide as the
 * certificate proves after the independent checker has accepted it. Without {@code --certificate} the
 * prover's certificate is checked and written as {@code DIR/certificate.json}. {@code DIR} is created
 * as a whole (atomically) and must not exist or be empty. Exit codes ({@link ExitCode}): 0 written;
 * 1 the certificate does not hold (nothing written); 2 a bad option or a non-empty {@code --out};
 * 3 an unreadable model or certificate.
 */
@Command(
        name = "export-c",
        mixinStandardHelpOptions = true,
        description = "Write C99 (<name>.h, <name>.c, driver <name>_main.c, widths.json) from an integer model.")
public final class ExportCCommand implements Callable<Integer> {

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
            description = "C identifier prefix and file stem (default ${DEFAULT-VALUE}).")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw UserError.usage(
                    "--name " + name + ": not a C identifier (letters, digits, _; not starting with a digit)");
        }
        requireNewOrEmpty("--out", out);
        Certified c = Certified.load(model, certificate);
        PrintWriter o = spec.commandLine().getOut();
        CExporter.Generated[] g = new CExporter.Generated[1];
        Files.deleteIfExists(out); // an empty directory: replaced as a whole
        AtomicFiles.writeDirectory(out, dir -> {
            if (c.provenText() != null) {
                AtomicFiles.writeString(dir.resolve("certificate.json"), c.provenText());
            }
            g[0] = CExporter.export(
                    c.model(), c.widths(), name, dir, model.getFileName().toString(), c.modelSha(), c.certSha());
        });
        for (String f : g[0].files().keySet()) {
            o.println("wrote " + out.resolve(f));
        }
        if (c.provenText() != null) {
            o.println("wrote " + out.resolve("certificate.json") + " (proved; checked by the independent checker)");
        }
        o.println(
                "wrote " + out.resolve("widths.json") + " (" + g[0].registers().size() + " accumulators)");
        for (Register r : g[0].registers()) {
            o.printf("  %-28s declared %2d bits, certificate needs %2d%n", r.name(), r.declaredBits(), r.neededBits());
        }
        o.flush();
        return ExitCode.OK;
    }

    /** Refuses an existing non-empty directory or a file ({@link ExitCode#USAGE}). */
    static void requireNewOrEmpty(String option, Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw UserError.usage(option + " " + dir + ": exists and is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw UserError.usage(
                        option + " " + dir + ": exists and is not empty; choose a new directory (nothing was written)");
            }
        }
    }

    /**
     * A model with a checked certificate and both files' SHA-256; {@code provenText} is the prover's
     * certificate when none was given (to be written next to the code).
     */
    record Certified(IntegerModel model, CertifiedWidths widths, String modelSha, String certSha, String provenText) {

        /**
         * Reads the files (a missing or malformed one is a {@link UserError}), proves when no certificate is
         * given, and checks.
         *
         * @throws UserError {@link ExitCode#FAILED} if the checker rejects the certificate
         */
        static Certified load(Path modelFile, Path certFile) throws IOException {
            IntegerModel m = ModelFiles.read("--model", modelFile);
            String text;
            String proven = null;
            if (certFile == null) {
                proven = CertificateWriter.toJson(CertificateProver.prove(m));
                text = proven;
            } else {
                if (!Files.isRegularFile(certFile)) {
                    throw UserError.input("--certificate " + certFile + ": no such file", null);
                }
                text = Files.readString(certFile);
            }
            try {
                CertifiedWidths w = CertifiedWidths.check(
                        m, text, certFile == null ? "the proved certificate" : certFile.toString());
                String certSha = certFile == null
                        ? Sha256.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        : Sha256.of(certFile);
                return new Certified(m, w, Sha256.of(modelFile), certSha, proven);
            } catch (ExportException e) {
                throw UserError.of(ExitCode.FAILED, e.getMessage(), e);
            }
        }
    }
}
