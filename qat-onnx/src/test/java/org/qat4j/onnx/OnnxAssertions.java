package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.qat4j.runtime.model.IntegerModel;

/** Exports a model and requires ONNX Runtime to equal the integer runtime bit for bit at NO_OPT and ALL_OPT. */
final class OnnxAssertions {
    private OnnxAssertions() {}

    /** Exports in {@code form}, checks the graph's structure and compares; returns the export. */
    static OnnxExport assertBitExact(IntegerModel m, OnnxForm form, int random, int adversarial) throws Exception {
        OnnxExport e = OnnxExporter.export(m, form);
        assertEquals(form, e.form());
        List<String> problems = OnnxGraphCheck.check(e.model());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(17, e.model().getOpsetImport(0).getVersion());
        assertEquals(8, e.model().getIrVersion());
        // ONNX Runtime's own type and shape inference agrees with the declared output: [N, shape...] of the model's
        // output type
        try (ai.onnxruntime.OrtSession s =
                ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(e.bytes())) {
            ai.onnxruntime.TensorInfo out = (ai.onnxruntime.TensorInfo)
                    s.getOutputInfo().values().iterator().next().getInfo();
            long[] want = new long[m.tensor(m.outputName()).shape().length + 1];
            want[0] = -1;
            for (int a = 1; a < want.length; a++) {
                want[a] = m.tensor(m.outputName()).shape()[a - 1];
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, out.getShape());
        }
        List<OnnxVerifier.Comparison> cs = OnnxVerifier.verify(m, e.bytes(), random, adversarial, 11);
        StringBuilder report = new StringBuilder();
        long bad = 0;
        for (OnnxVerifier.Comparison c : cs) {
            report.append(c.line()).append('\n');
            bad += c.mismatches();
        }
        assertEquals(0, bad, report.toString());
        assertTrue(cs.size() >= 4, report.toString());
        return e;
    }
}
