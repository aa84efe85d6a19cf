package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.EmbeddingModels;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The row-wise quantized {@code embedding} op (arXiv 1911.02079) in the exact form: affine and codebook
 * tables, indices beyond both ends as padding, float32 and float64 sums, bit for bit at NO_OPT and ALL_OPT.
 */
class EmbeddingExportTest {
    @Test
    void affineAndCodebookTablesWithPaddingIndices() throws Exception {
        for (EmbeddingOp.Kind kind : EmbeddingOp.Kind.values()) {
            IntegerModel m = EmbeddingModels.random(1, 6, 10, 5, 4, kind, 4, 32);
            OnnxAssertions.assertBitExact(m, OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
            // no dense or conv layer: the automatic choice is the exact form, with the reason
            OnnxExport auto = OnnxExporter.export(m);
            assertEquals(OnnxForm.EXACT_FIXED_POINT, auto.form());
            assertEquals(
                    "not QCDQ: the model has no dense or conv layer to write as QuantizeLinear/DequantizeLinear",
                    auto.reason());
        }
    }

    @Test
    void sumsBeyond2To24RunInFloat64() throws Exception {
        IntegerModel m = EmbeddingModels.random(2, 6000, 10, 3, 4, EmbeddingOp.Kind.CODEBOOK, 4, 40);
        OnnxExport e = OnnxAssertions.assertBitExact(m, OnnxForm.EXACT_FIXED_POINT, 500, 500);
        assertEquals(
                ai.onnx.proto.OnnxMl.TensorProto.DataType.DOUBLE_VALUE,
                e.model().getGraph().getInitializerList().stream()
                        .filter(t -> t.getName().startsWith("emb/table"))
                        .findFirst()
                        .orElseThrow()
                        .getDataType());
    }
}
