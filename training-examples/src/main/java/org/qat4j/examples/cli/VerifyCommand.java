package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.SelfCheck;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code qat verify}: checks an overflow certificate against an integer model file with the
 * independent checker (exact integer arithmetic; A2Q arXiv 2308.13504 §3, A2Q+ arXiv 2401.10432 §3,
 * HGQ arXiv 2405.00645 §10), prints a per-layer table, then runs the bit-exact self-check (recorded
 * test vectors reproduced bit for bit; batched and single-sample runs agree on random and adversarial
 * inputs). Exit code 0 only if both pass; 1 if either fails; 2 if a file cannot be read.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check an overflow certificate against an integer model and run the bit-exact self-check.")
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Integer model file (qat4j-integer-model JSON).")
    Path model;

    @Option(names = "--certificate", required = true, description = "Certificate file (certificate.json).")
    Path certificate;

    @Option(names = "--samples", defaultValue = "1000",
            description = "Generated samples (random + adversarial) for the self-check (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated samples (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (samples < 0) {
            err.println("--samples must be >= 0, got " + samples);
            return 2;
        }
        IntegerModel m;
        try {
            m = ModelReader.read(model);
        } catch (NoSuchFileException e) {
            err.println("--model: no such file: " + model);
            return 2;
        } catch (IOException | ModelFormatException e) {
            err.println("--model: cannot read " + model + ": " + e.getMessage());
            return 2;
        }
        CheckReport report;
        try {
            report = CertificateChecker.check(model, certificate);
        } catch (NoSuchFileException e) {
            err.println("--certificate: no such file: " + certificate);
            return 2;
        } catch (IOException e) {
            err.println("--certificate: cannot read " + certificate + ": " + e.getMessage());
            return 2;
        }
        out.println("model " + model + " (" + m.provenance().method() + ", " + m.ops().size() + " ops)");
        out.println("certificate " + certificate + ": " + report.weightsChecked() + " weights recomputed");
        out.print(report.table());
        out.println("certificate: " + (report.holds() ? "HOLDS" : "REJECTED (" + report.problems().size() + " problems)"));
        SelfCheck.Result sc = SelfCheck.run(m, -1, samples, seed);
        out.println("self-check: " + sc.vectorsChecked() + " recorded vectors, " + sc.vectorMismatches() + " mismatching elements; "
                + sc.samplesChecked() + " generated samples, " + sc.sampleMismatches() + " mismatching elements");
        if (sc.firstMismatch() != null) {
            out.println("first mismatch: " + sc.firstMismatch());
        }
        if (sc.vectorsChecked() == 0) {
            out.println("note: the model file holds no recorded test vectors; only runtime self-consistency was checked");
        }
        boolean ok = report.holds() && sc.passed();
        out.println(ok ? "VERIFIED" : "NOT VERIFIED");
        out.flush();
        return ok ? 0 : 1;
    }
}
