package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.SelfCheck;
import org.qat4j.runtime.model.IntegerModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat verify}: checks an overflow certificate against an integer model file with the
 * independent checker (exact integer arithmetic; A2Q arXiv 2308.13504 §3, A2Q+ arXiv 2401.10432 §3,
 * HGQ arXiv 2405.00645 §10), prints a per-layer table, then runs the bit-exact self-check (recorded
 * test vectors reproduced bit for bit; batched and single-sample runs agree on random and adversarial
 * inputs). The output always ends with {@code VERIFIED} or {@code NOT VERIFIED}. Exit code 0 only if both
 * pass; 1 if either fails; other codes: {@link ExitCode}.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Check an overflow certificate against an integer model and run the bit-exact self-check.")
public final class VerifyCommand implements Callable<Integer>, Verdict {

    @Option(names = "--model", required = true, description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(
            names = "--certificate",
            description = "Certificate file (certificate.json); required unless --onnx is given.")
    Path certificate;

    @Option(
            names = "--onnx",
            paramLabel = "FILE",
            description =
                    "ONNX export of the model (qat export-onnx): compare ONNX Runtime "
                            + "with the integer runtime bit for bit at NO_OPT and ALL_OPT on the recorded vectors and --samples random and adversarial inputs.")
    Path onnx;

    @Option(
            names = "--samples",
            defaultValue = "1000",
            description = "Generated samples (random + adversarial) for the self-check (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the generated samples (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--generated",
            paramLabel = "DIR",
            description = "Also check code written by qat export-c: headers name this model and certificate, "
                    + "every register is at least as wide as the checked certificate proves.")
    Path generated;

    @Option(
            names = "--hardware",
            paramLabel = "FILE",
            description =
                    "Also check the model against a hardware description (qat4j-hardware JSON, docs/hardware.md): every "
                            + "input, weight and accumulator width allowed by the target.")
    Path hardware;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (samples < 0) {
            throw UserError.usage("--samples must be >= 0, got " + samples);
        }
        if (certificate == null && onnx == null) {
            throw UserError.usage("--certificate FILE is required (or --onnx FILE to check an ONNX export)");
        }
        IntegerModel m = ModelFiles.read("--model", model);
        if (certificate == null) {
            boolean ok = OnnxVerifyStep.run(m, onnx, samples, seed, out);
            out.println(ok ? Verdict.PASSED : Verdict.FAILED);
            out.flush();
            return ok ? ExitCode.OK : ExitCode.FAILED;
        }
        if (!Files.isRegularFile(certificate)) {
            throw UserError.input(
                    "--certificate " + certificate + ": "
                            + (Files.exists(certificate) ? "not a regular file" : "no such file"),
                    null);
        }
        CheckReport report;
        try {
            report = CertificateChecker.check(model, certificate);
        } catch (IOException e) {
            throw UserError.input("--certificate " + certificate + ": cannot read: " + ErrorReporter.message(e), e);
        } catch (RuntimeException e) {
            throw UserError.input("--certificate " + certificate + ": not a valid certificate: " + e.getMessage(), e);
        }
        out.println("model " + model + " (" + m.provenance().method() + ", "
                + m.ops().size() + " ops)");
        out.println("certificate " + certificate + ": " + report.weightsChecked() + " weights recomputed");
        out.print(report.table());
        out.println("certificate: "
                + (report.holds() ? "HOLDS" : "REJECTED (" + report.problems().size() + " problems)"));
        boolean selfCheckPassed;
        try {
            SelfCheck.Result sc = SelfCheck.run(m, -1, samples, seed);
            out.println("self-check: " + sc.vectorsChecked() + " recorded vectors, " + sc.vectorMismatches()
                    + " mismatching elements; " + sc.samplesChecked() + " generated samples, " + sc.sampleMismatches()
                    + " mismatching elements");
            if (sc.firstMismatch() != null) {
                out.println("first mismatch: " + sc.firstMismatch());
            }
            if (sc.vectorsChecked() == 0) {
                out.println(
                        "note: the model file holds no recorded test vectors; only runtime self-consistency was checked");
            }
            selfCheckPassed = sc.passed();
        } catch (RuntimeException e) {
            // A model whose certificate does not hold may overflow its declared accumulators at run time:
            // that is the failure the certificate predicted, reported, not a crash.
            out.println("self-check: stopped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            selfCheckPassed = false;
        }
        boolean ok = report.holds() && selfCheckPassed;
        if (onnx != null) {
            ok &= OnnxVerifyStep.run(m, onnx, samples, seed, out);
        }
        if (generated != null) {
            ok &= GeneratedVerification.print(model, certificate, generated, out);
        }
        if (hardware != null) {
            ok &= HardwareVerification.print(m, certificate, hardware, out);
        }
        out.println(ok ? Verdict.PASSED : Verdict.FAILED);
        out.flush();
        return ok ? ExitCode.OK : ExitCode.FAILED;
    }
}
