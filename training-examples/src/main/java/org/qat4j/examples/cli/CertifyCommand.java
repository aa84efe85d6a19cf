package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat certify}: proves by exact interval arithmetic that no accumulator of an integer model can
 * overflow (A2Q arXiv 2308.13504 §3, HGQ arXiv 2405.00645 §10) and writes {@code certificate.json}
 * atomically. Exit 0 if every layer holds, 1 if the certificate (still written) says "fails"; other codes:
 * {@link ExitCode}.
 */
@Command(
        name = "certify",
        mixinStandardHelpOptions = true,
        description = "Write the overflow certificate of an integer model.")
public final class CertifyCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Integer model file.")
    Path model;

    @Option(names = "--out", required = true, description = "Certificate file to write (certificate.json).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        IntegerModel m = ModelFiles.read("--model", model);
        OverflowCertificate c;
        try {
            c = ExportPipeline.certify(m, out);
        } catch (IOException e) {
            throw UserError.input("--out " + out + ": cannot write: " + ErrorReporter.message(e), e);
        }
        for (LayerCertificate l : c.layers()) {
            w.printf(
                    "%-20s %-9s %-8s P=%-3d minimal=%-3d %s%n",
                    l.layer(), l.op(), l.method(), l.accumulatorBits(), l.minimalBits(), l.holds() ? "holds" : "FAILS");
        }
        w.println("certificate " + out + ": " + (c.holds() ? "holds" : "fails"));
        w.flush();
        return c.holds() ? 0 : 1;
    }
}
