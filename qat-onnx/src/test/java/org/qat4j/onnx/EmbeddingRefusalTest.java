package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.EmbeddingModels;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;

/** The row-wise quantized {@code embedding} op has no ONNX form yet: export refuses it by name. */
class EmbeddingRefusalTest {
    @Test
    void refusesTheEmbeddingOpNamingIt() {
        IntegerModel m = EmbeddingModels.random(1, 4, 8, 3, 4, EmbeddingOp.Kind.AFFINE, 4, 32);
        for (OnnxForm form : OnnxForm.values()) {
            Exception e = assertThrows(Exception.class, () -> OnnxExporter.export(m, form));
            // QCDQ refuses earlier, for lacking a dense/conv layer; the exact forms name the op
            assertTrue(form.name().startsWith("QCDQ") || e.getMessage().contains("op embedding"), form + ": " + e.getMessage());
        }
    }
}
