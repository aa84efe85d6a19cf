package org.qat4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TestModels;

/** The QCDQ form: chosen for 8-bit models, bit-exact in ONNX Runtime at NO_OPT and ALL_OPT, refused with the reason otherwise. */
class QcdqFormTest {

    @Test
    void hgqMlpIsWrittenAsQcdqWithInt8WeightsAndInt32Bias() throws Exception {
        IntegerModel m = TestModels.mlpFixed(3, 12, 16, 8, 4);
        assertEquals(OnnxForm.QCDQ, OnnxExporter.export(m).form());
        OnnxExport e = OnnxAssertions.assertBitExact(m, OnnxForm.QCDQ, 2000, 2000);
        assertTrue(
                ExactFormTest.ops(e).containsAll(Set.of("QuantizeLinear", "DequantizeLinear", "MatMul")),
                ExactFormTest.ops(e).toString());
        long int8 = e.model().getGraph().getInitializerList().stream()
                .filter(t -> t.getName().contains("weightsInt8") && t.getDataType() == TensorProto.DataType.INT8_VALUE)
                .count();
        long int32 = e.model().getGraph().getInitializerList().stream()
                .filter(t -> t.getName().contains("biasInt32") && t.getDataType() == TensorProto.DataType.INT32_VALUE)
                .count();
        assertEquals(3, int8);
        assertEquals(3, int32);
    }

    @Test
    void hgqCnnWithResidual() throws Exception {
        OnnxExport e = OnnxAssertions.assertBitExact(TestModels.cnnFixed(4), OnnxForm.QCDQ, 2000, 2000);
        assertTrue(ExactFormTest.ops(e).contains("Conv"));
    }

    @Test
    void a2qModelsQuantizeWithQuantizeLinear() throws Exception {
        IntegerModel mlp = TestModels.mlpA2q(9, A2qConstraint.Variant.A2Q_PLUS, 16, 20, 12, 5);
        assertEquals(
                OnnxForm.QCDQ,
                OnnxExporter.export(mlp).form(),
                OnnxExporter.export(mlp).reason());
        OnnxAssertions.assertBitExact(mlp, OnnxForm.QCDQ, 2000, 2000);
        OnnxExport cnn = OnnxAssertions.assertBitExact(TestModels.cnnA2qFloatAvgPool(12), OnnxForm.QCDQ, 2000, 2000);
        assertTrue(ExactFormTest.ops(cnn).contains("Clip"), "6-bit quantizers need a Clip inside the 8-bit type");
    }

    @Test
    void wideModelIsRefusedWithTheReasonAndExportedExactly() throws Exception {
        IntegerModel m = TestModels.mlpWide(6, 40, 16);
        OnnxExport auto = OnnxExporter.export(m);
        assertEquals(OnnxForm.EXACT_FIXED_POINT, auto.form());
        assertEquals(
                "not QCDQ: layer 'd1': its inputs range over [-4096, 4095], which fits neither int8 nor uint8",
                auto.reason());
        OnnxExportException ex = assertThrows(OnnxExportException.class, () -> OnnxExporter.export(m, OnnxForm.QCDQ));
        assertTrue(ex.getMessage().startsWith("QCDQ form refused: layer 'd1'"), ex.getMessage());
    }

    @Test
    void aModelWhoseCertificateFailsIsRefusedInBothForms() {
        IntegerModel base = TestModels.mlpFixed(3, 12, 16, 8, 4);
        IntegerModel m = org.qat4j.runtime.model.AccumulatorWidths.replace(
                base, "dense1", org.qat4j.runtime.model.AccumulatorWidths.forceBits(base.op("dense1"), 8));
        for (OnnxForm form : OnnxForm.values()) {
            OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExporter.export(m, form));
            assertTrue(
                    e.getMessage()
                            .matches(
                                    "the overflow certificate does not hold: layer 'dense1' channel \\d+ has partial sums in "
                                            + "\\[-?\\d+, \\d+\\], beyond its declared 8-bit accumulator; the runtime stops on such an overflow, which an ONNX graph "
                                            + "cannot repeat"),
                    e.getMessage());
        }
        assertThrows(OnnxExportException.class, () -> OnnxExporter.export(m));
    }

    @Test
    void eightBitOperandsWhosePartialSumsPass2To24AreRefusedNamingTheCertificate() throws Exception {
        java.util.Random rnd = new java.util.Random(2);
        int[] w = new int[4 * 64];
        for (int t = 0; t < w.length; t++) {
            w[t] = (rnd.nextInt(255) - 127) << 12; // int8 values times 2^12: 8-bit operands, sums near 2^27
        }
        IntegerModel m = org.qat4j.runtime.model.AccumulatorWidths.deriveMinimal(IntegerModel.builder()
                .setProvenance(org.qat4j.runtime.model.Provenance.handBuilt("HGQ"))
                .setInput("x", 64)
                .addOp(new org.qat4j.runtime.model.QuantizeFixedOp(
                        "q0",
                        "x",
                        org.qat4j.runtime.model.FixedFormats.uniform(new org.qat4j.runtime.fixed.FixedFormat(0, 6, 2)),
                        org.qat4j.runtime.fixed.RoundingMode.RND,
                        org.qat4j.runtime.fixed.OverflowMode.SAT))
                .addOp(new org.qat4j.runtime.model.DenseOp("d", "q0", 64, 4, w, null, 64, null))
                .addOp(new org.qat4j.runtime.model.DequantizeFixedOp("out", "d", new int[] {2}))
                .setOutput("out")
                .build());
        OnnxExport auto = OnnxExporter.export(m);
        assertEquals(OnnxForm.EXACT_FIXED_POINT, auto.form());
        assertTrue(
                auto.reason()
                        .matches(
                                "not QCDQ: layer 'd' channel 0: the certificate allows partial sums of magnitude \\d+, beyond 2\\^24 "
                                        + "where float32 accumulation stops being exact"),
                auto.reason());
        OnnxAssertions.assertBitExact(m, OnnxForm.EXACT_FIXED_POINT, 2000, 2000);
    }
}
