package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.MultipointModels;

/** The {@code multipoint_dense} op (arXiv 2002.09049) has no ONNX form yet: the export refuses it, naming the op. */
class MultipointRefusalTest {
    @Test
    void exportRefusesTheOpByName() {
        IntegerModel m = AccumulatorWidths.deriveMinimal(MultipointModels.mlp(5, 20, 12, 4, 4, 64, 64));
        OnnxExportException e =
                assertThrows(OnnxExportException.class, () -> OnnxExporter.export(m, OnnxForm.EXACT_FIXED_POINT));
        assertEquals("mp1: op multipoint_dense has no ONNX form", e.getMessage());
    }
}
