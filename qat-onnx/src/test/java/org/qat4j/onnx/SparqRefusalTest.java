package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.SparqModels;

/** The {@code sparq} op (SPARQ, arXiv 2105.11010) has no ONNX form: every export path refuses it, naming the op. */
class SparqRefusalTest {
    @Test
    void everyFormRefusesTheOpByName() {
        IntegerModel m = SparqModels.conv(1, 3, true, true);
        String expected =
                "op 'sp' (sparq): SPARQ's data-dependent activation windows (arXiv 2105.11010) have no ONNX form;"
                        + " run the model with the integer runtime or export it to C (qat export-c)";
        assertEquals(
                expected,
                assertThrows(OnnxExportException.class, () -> OnnxExporter.export(m))
                        .getMessage());
        for (OnnxForm form : OnnxForm.values()) {
            assertEquals(
                    expected,
                    assertThrows(OnnxExportException.class, () -> OnnxExporter.export(m, form))
                            .getMessage());
        }
    }
}
