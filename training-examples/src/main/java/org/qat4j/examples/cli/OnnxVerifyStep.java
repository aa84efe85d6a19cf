package org.qat4j.examples.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    /** 0 when the graph passes and every output bit agrees, 1 on a mismatch or failed check, 2 if the file cannot be used. */
    static int run(IntegerModel m, Path onnx, int samples, long seed, PrintWriter out, PrintWriter err) {
        byte[] bytes;
        ModelProto proto;
        try {
            bytes = Files.readAllBytes(onnx);
            proto = ModelProto.parseFrom(bytes);
        } catch (NoSuchFileException e) {
            err.println("--onnx: no such file: " + onnx);
            return 2;
        } catch (IOException e) {
            err.println("--onnx: cannot read " + onnx + " as an ONNX model: " + e.getMessage());
            return 2;
        }
        String form = proto.getMetadataPropsList().stream().filter(p -> p.getKey().equals("qat4j.form")).map(p -> p.getValue())
                .findFirst().orElse("not a qat4j export");
        out.println("onnx " + onnx + " (form: " + form + ", opset " + (proto.getOpsetImportCount() > 0 ? proto.getOpsetImport(0).getVersion() : "?")
                + ", " + proto.getGraph().getNodeCount() + " nodes)");
        List<String> problems = OnnxGraphCheck.check(proto);
        problems.forEach(p -> out.println("graph check: " + p));
        List<OnnxVerifier.Comparison> cs;
        try {
            cs = OnnxVerifier.verify(m, bytes, samples, samples, seed);
        } catch (OrtException e) {
            err.println("--onnx: ONNX Runtime cannot run " + onnx + ": " + e.getMessage());
            return 2;
        }
        long bad = 0;
        for (OnnxVerifier.Comparison c : cs) {
            out.println("onnx " + c.line());
            bad += c.mismatches();
        }
        boolean ok = problems.isEmpty() && bad == 0;
        out.println(ok ? "ONNX Runtime matches the integer runtime bit for bit" : "ONNX Runtime DIFFERS from the integer runtime ("
                + bad + " mismatching elements, " + problems.size() + " graph problems)");
        return ok ? 0 : 1;
    }
}
