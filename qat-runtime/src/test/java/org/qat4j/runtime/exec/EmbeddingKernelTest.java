package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.EmbeddingModels;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.model.RangeAnalysis;

class EmbeddingKernelTest {

    /** Reference: decode with plain arithmetic straight from the stored fields, sum the selected rows. */
    private static long[] reference(EmbeddingOp e, float[] x, int batch, int positions) {
        int[] codes = e.codes();
        long[] out = new long[batch * e.dim()];
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < positions; l++) {
                long r = (long) Math.floor(x[b * positions + l] + 0.5);
                if (r < 0 || r >= e.rows()) {
                    continue;
                }
                for (int d = 0; d < e.dim(); d++) {
                    int c = codes[(int) r * e.dim() + d];
                    out[b * e.dim() + d] += e.kind() == EmbeddingOp.Kind.AFFINE
                            ? e.scale()[(int) r] * c + e.offset()[(int) r]
                            : e.codebook()[((int) r << e.codeBits()) + c];
                }
            }
        }
        return out;
    }

    @Test
    void sumsDecodedRowsAndSkipsPaddingForBothKinds() {
        for (EmbeddingOp.Kind kind : EmbeddingOp.Kind.values()) {
            IntegerModel m = EmbeddingModels.random(7, 6, 20, 5, 4, kind, 5, 40);
            Random rnd = new Random(3);
            int batch = 50;
            float[] x = new float[batch * 6];
            for (int t = 0; t < x.length; t++) {
                x[t] = rnd.nextInt(40) - 8; // includes negative and ≥ rows padding
            }
            long[] got = IntegerRuntime.compile(m).runInt(x, batch);
            assertArrayEquals(reference(EmbeddingModels.op(m), x, batch, 6), got, kind.toString());
        }
    }

    @Test
    void fileRoundTripKeepsEveryField() {
        for (EmbeddingOp.Kind kind : EmbeddingOp.Kind.values()) {
            IntegerModel m = EmbeddingModels.random(11, 4, 9, 3, 4, kind, 4, 32);
            IntegerModel back = ModelReader.fromJson(ModelWriter.toJson(m));
            EmbeddingOp a = EmbeddingModels.op(m);
            EmbeddingOp b = EmbeddingModels.op(back);
            assertArrayEquals(a.codes(), b.codes());
            assertArrayEquals(a.decoded(), b.decoded());
            assertEquals(a.kind(), b.kind());
            assertEquals(ModelWriter.toJson(m), ModelWriter.toJson(back));
        }
    }

    @Test
    void unprovenNarrowAccumulatorThrowsInsteadOfWrapping() {
        IntegerModel m = EmbeddingModels.random(5, 8, 4, 2, 4, EmbeddingOp.Kind.AFFINE, 3, 8);
        IntegerRuntime rt = IntegerRuntime.compile(m);
        assertTrue(!RangeAnalysis.of(m).accumulator("emb").fitsDeclared());
        assertEquals("checked long", rt.arithmetic().get("emb"));
        float[] x = {0, 1, 2, 3, 0, 1, 2, 3};
        assertThrows(AccumulatorOverflowException.class, () -> rt.runInt(x, 1));
    }

    @Test
    void rejectsCodesOutsideTheirWidth() {
        IntegerModel m = EmbeddingModels.random(5, 2, 3, 2, 4, EmbeddingOp.Kind.AFFINE, 3, 32);
        String json = ModelWriter.toJson(m).replace("\"codeBits\": 4", "\"codeBits\": 2");
        Exception e = assertThrows(RuntimeException.class, () -> ModelReader.fromJson(json));
        assertTrue(e.getMessage().contains("emb.codes["), e.getMessage());
    }
}
