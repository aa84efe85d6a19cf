package org.qat4j.export.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.Predictions;
import org.qat4j.export.Toolchain;
import org.qat4j.runtime.cert.CertificateProver;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.IntegerModel;

/** Exports a model to C, builds it twice (-O2, and -O2 with UBSan aborting on the first report) and compares with the Java runtime byte for byte. */
public final class CDifferential {
    private CDifferential() {}

    /** Returns the number of samples compared. */
    public static int check(IntegerModel model, Path dir, int random, int adversarial, long seed) throws IOException {
        String cert = CertificateWriter.toJson(CertificateProver.prove(model));
        CertifiedWidths widths = CertifiedWidths.check(model, cert, "certificate");
        CExporter.export(model, widths, "m", dir, "model.json", "0".repeat(64), "1".repeat(64));
        Path fast = CCompiler.compile(dir, "m", "m_fast", List.of());
        Path ubsan = CCompiler.compile(dir, "m", "m_ubsan", List.of("-fsanitize=undefined", "-fno-sanitize-recover=all"));
        float[] inputs = Predictions.testInputs(model, random, adversarial, seed);
        int in = model.tensor(model.inputName()).numel();
        byte[] text = Predictions.inputText(inputs, in);
        byte[] java = Predictions.predict(model, inputs);
        for (Path exe : List.of(fast, ubsan)) {
            Toolchain.Result r = CCompiler.run(exe, text);
            assertEquals(0, r.exitCode(), exe.getFileName() + " failed: " + r.stderr());
            assertEquals("", r.stderr(), exe.getFileName() + " wrote to stderr");
            assertNull(Predictions.firstDifference(java, r.stdout(), "Java runtime", exe.getFileName().toString()));
        }
        return inputs.length / in;
    }
}
