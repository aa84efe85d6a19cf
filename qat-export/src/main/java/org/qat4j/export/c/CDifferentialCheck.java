package org.qat4j.export.c;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.Predictions;
import org.qat4j.export.Toolchain;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Differential check of the C export against the Java runtime: exports {@code model} (certificate from
 * the prover, accepted by the checker), builds it twice with gcc ({@link CExporter#FLAGS}, once plain and
 * once with {@code -fsanitize=undefined -fno-sanitize-recover=all}, so signed overflow or an
 * out-of-range shift aborts), runs both drivers on the recorded test vectors plus random and adversarial
 * inputs (the UBSan build on {@code ubsanSamples} of them, half random, half adversarial, plus the recorded vectors),
 * and compares their standard output with {@code qat predict}'s bytes.
 */
public final class CDifferentialCheck {
    private CDifferentialCheck() {}

    /**
     * The outcome.
     *
     * @param samples samples compared per build
     * @param problems per build that differs or fails: what happened (empty: byte-for-byte equal)
     */
    public record Result(int samples, List<String> problems) {}

    /** Runs the check in {@code dir} (which receives the sources and binaries). */
    public static Result run(IntegerModel model, Path dir, int random, int adversarial, int ubsanSamples, long seed)
            throws IOException {
        String cert = CertificateWriter.toJson(CertificateProver.prove(model));
        CertifiedWidths widths = CertifiedWidths.check(model, cert, "certificate");
        CExporter.export(model, widths, "m", dir, "model.json", Sha256Placeholder.MODEL, Sha256Placeholder.CERTIFICATE);
        Path fast = CCompiler.compile(dir, "m", "m_fast", List.of());
        Path ubsan =
                CCompiler.compile(dir, "m", "m_ubsan", List.of("-fsanitize=undefined", "-fno-sanitize-recover=all"));
        float[] inputs = Predictions.testInputs(model, random, adversarial, seed);
        int in = model.tensor(model.inputName()).numel();
        byte[] text = Predictions.inputText(inputs, in);
        byte[] java = Predictions.predict(model, inputs);
        List<String> problems = new ArrayList<>();
        compare(fast, text, java, problems);
        // UBSan slows a run about tenfold: it sees the recorded vectors and an equal share of random and adversarial
        // inputs
        float[] few = Predictions.testInputs(
                model, Math.min(random, ubsanSamples / 2), Math.min(adversarial, ubsanSamples / 2), seed + 1);
        compare(ubsan, Predictions.inputText(few, in), Predictions.predict(model, few), problems);
        return new Result(inputs.length / in, problems);
    }

    private static void compare(Path exe, byte[] input, byte[] java, List<String> problems) throws IOException {
        Toolchain.Result r = CCompiler.run(exe, input);
        String name = exe.getFileName().toString();
        if (r.exitCode() != 0 || !r.stderr().isEmpty()) {
            problems.add(
                    name + " exited with " + r.exitCode() + ": " + r.stderr().strip());
            return;
        }
        String d = Predictions.firstDifference(java, r.stdout(), "Java runtime", name);
        if (d != null) {
            problems.add(name + ": " + d);
        }
    }

    /** In-memory models have no files: the headers carry recognizable placeholders instead of digests. */
    private static final class Sha256Placeholder {
        static final String MODEL = "0".repeat(64);
        static final String CERTIFICATE = "0".repeat(64);
    }
}
