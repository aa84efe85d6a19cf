package org.qat4j.examples.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.qat4j.onnx.OnnxGraphCheck;
import org.qat4j.onnx.OnnxVerifier;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The {@code --onnx} part of {@code qat verify}: the ONNX checks that apply from Java, then ONNX
 * Runtime against the integer runtime, bit for bit, at NO_OPT and ALL_OPT on the model's recorded
 * test vectors and {@code samples} random plus {@code samples} adversarial inputs.
 */
final class OnnxVerifyStep {
    private OnnxVerifyStep() {}

    /**
     * @return whether the graph passes the checks and every output bit agrees
     * @throws UserError ({@link ExitCode#INPUT}) when the file is missing, not ONNX, or ONNX Runtime cannot run it
     */
    static boolean run(IntegerModel m, Path onnx, int samples, long seed, PrintWriter out) {
        if (!Files.isRegularFile(onnx)) {
            throw UserError.input(
                    "--onnx " + onnx + ": " + (Files.exists(onnx) ? "not a regular file" : "no such file"), null);
        }
        byte[] bytes;
        ModelProto proto;
        try {
            bytes = Files.readAllBytes(onnx);
            proto = ModelProto.parseFrom(bytes);
        } catch (IOException e) {
            throw UserError.input("--onnx " + onnx + ": not an ONNX model: " + ErrorReporter.message(e), e);
        }
        String form = proto.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals("qat4j.form"))
                .map(p -> p.getValue())
                .findFirst()
                .orElse("not a qat4j export");
        out.println("onnx " + onnx + " (form: " + form + ", opset "
                + (proto.getOpsetImportCount() > 0 ? proto.getOpsetImport(0).getVersion() : "none") + ", "
                + proto.getGraph().getNodeCount() + " nodes)");
        List<String> problems = OnnxGraphCheck.check(proto);
        problems.forEach(p -> out.println("graph check: " + p));
        List<OnnxVerifier.Comparison> cs;
        try {
            cs = OnnxVerifier.verify(m, bytes, samples, samples, seed);
        } catch (OrtException e) {
            throw UserError.input(
                    "--onnx " + onnx + ": ONNX Runtime cannot run it on the --model input: " + e.getMessage(), e);
        }
        long bad = 0;
        for (OnnxVerifier.Comparison c : cs) {
            out.println("onnx " + c.line());
            bad += c.mismatches();
        }
        boolean ok = problems.isEmpty() && bad == 0;
        out.println(
                ok
                        ? "ONNX Runtime matches the integer runtime bit for bit"
                        : "ONNX Runtime DIFFERS from the integer runtime (" + bad + " mismatching elements, "
                                + problems.size() + " graph problems)");
        return ok;
    }
}
