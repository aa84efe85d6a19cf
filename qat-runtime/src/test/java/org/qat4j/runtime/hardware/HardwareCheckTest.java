package org.qat4j.runtime.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.MultipointModels;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

class HardwareCheckTest {
    private static String hw(String ops) {
        return "{\"format\": \"qat4j-hardware\", \"formatVersion\": 1, \"name\": \"t\", \"ops\": {" + ops + "}}";
    }

    private static String cert(IntegerModel m) {
        return CertificateWriter.toJson(CertificateProver.prove(m));
    }

    /** mp1 reads signed 8-bit inputs with 4-bit codes; mp2 unsigned 8-bit (format (0, 4, 4)) inputs. */
    private static final IntegerModel MODEL =
            AccumulatorWidths.deriveMinimal(MultipointModels.mlp(17, 12, 8, 4, 4, 64, 64));

    @Test
    void aModelWithinEveryWidthFitsAndTheRowsStateTheWidths() {
        MultipointDenseOp mp1 = (MultipointDenseOp) MODEL.op("mp1");
        MultipointDenseOp mp2 = (MultipointDenseOp) MODEL.op("mp2");
        int p = Math.max(mp1.pointAccumulatorBits(), mp2.pointAccumulatorBits());
        HardwareCheck.Report r = HardwareCheck.check(
                MODEL,
                cert(MODEL),
                HardwareDescription.parse(
                        hw("\"multipoint_dense\": {\"inputBits\": [4, 8], \"weightBits\": [8, 4], \"accumulatorBits\": "
                                + p + "}")));
        assertTrue(r.fits(), r.problems().toString());
        assertEquals(
                List.of("mp1", "mp2"),
                r.rows().stream().map(HardwareCheck.Row::layer).toList());
        HardwareCheck.Row first = r.rows().get(0);
        assertEquals(8, first.inputBits());
        assertEquals(8, first.inputType());
        assertEquals(4, first.weightBits());
        assertEquals(4, first.weightType());
        assertEquals(8, r.rows().get(1).inputBits()); // [0, 255] unsigned
    }

    @Test
    void everyViolationIsNamedWithLayerAndWidth() {
        MultipointDenseOp mp1 = (MultipointDenseOp) MODEL.op("mp1");
        HardwareCheck.Report r = HardwareCheck.check(
                MODEL,
                cert(MODEL),
                HardwareDescription.parse(
                        hw(
                                "\"multipoint_dense\": {\"inputBits\": [4], \"weightBits\": [2, 3], \"accumulatorBits\": 8, \"combinationBits\": 20}")));
        assertFalse(r.fits());
        assertTrue(
                r.problems()
                        .contains(
                                "layer 'mp1' (multipoint_dense): input width 8 bits exceeds the hardware's inputBits [4]"),
                r.problems().toString());
        assertTrue(
                r.problems()
                        .contains(
                                "layer 'mp1' (multipoint_dense): weight width 4 bits exceeds the hardware's weightBits [2, 3]"),
                r.problems().toString());
        assertTrue(
                r.problems()
                        .contains("layer 'mp1' (multipoint_dense): accumulator of " + mp1.pointAccumulatorBits()
                                + " bits exceeds the hardware's accumulatorBits 8"),
                r.problems().toString());
        assertTrue(
                r.problems()
                        .contains("layer 'mp1' (multipoint_dense): combination register of " + mp1.accumulatorBits()
                                + " bits exceeds the hardware's combinationBits 20"),
                r.problems().toString());
    }

    @Test
    void anUndescribedOpKindAndAFailingCertificateAreProblems() {
        IntegerModel dense = AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 12, 5));
        HardwareCheck.Report r = HardwareCheck.check(
                dense,
                cert(dense),
                HardwareDescription.parse(
                        hw("\"conv2d\": {\"inputBits\": [8], \"weightBits\": [8], \"accumulatorBits\": 32}")));
        assertTrue(
                r.problems().get(0).startsWith("layer 'dense1' (dense): the hardware 't' has no rule for dense"),
                r.problems().toString());
        MultipointDenseOp mp1 = (MultipointDenseOp) MODEL.op("mp1");
        IntegerModel narrowed = AccumulatorWidths.replace(
                MODEL,
                "mp1",
                AccumulatorWidths.multipointWithBits(mp1, mp1.pointAccumulatorBits() - 1, mp1.accumulatorBits()));
        HardwareCheck.Report stale = HardwareCheck.check(
                narrowed,
                cert(MODEL),
                HardwareDescription.parse(hw(
                        "\"multipoint_dense\": {\"inputBits\": [8], \"weightBits\": [8], \"accumulatorBits\": 64}")));
        assertFalse(stale.fits());
        assertTrue(
                stale.problems().get(0).startsWith("the certificate does not hold for this model"),
                stale.problems().toString());
    }

    @Test
    void malformedDescriptionsNameTheField() {
        ModelFormatException e = assertThrows(
                ModelFormatException.class,
                () -> HardwareDescription.parse(
                        hw("\"dense\": {\"inputBits\": [8], \"weightBits\": [8], \"accumulatorBits\": 70}")));
        assertEquals("$.ops.dense.accumulatorBits = 70: must lie in [2, 64]", e.getMessage());
        e = assertThrows(
                ModelFormatException.class,
                () -> HardwareDescription.parse(hw("\"dense\": {\"weightBits\": [8], \"accumulatorBits\": 32}")));
        assertEquals("$.ops.dense.inputBits: missing", e.getMessage());
        e = assertThrows(
                ModelFormatException.class,
                () -> HardwareDescription.parse(
                        "{\"format\": \"qat4j-hw\", \"formatVersion\": 1, \"name\": \"t\", \"ops\": {}}"));
        assertEquals("$.format = 'qat4j-hw', expected 'qat4j-hardware'", e.getMessage());
        e = assertThrows(
                ModelFormatException.class,
                () -> HardwareDescription.parse(
                        hw("\"dense\": {\"inputBits\": [0, 8], \"weightBits\": [8], \"accumulatorBits\": 32}")));
        assertEquals("$.ops.dense.inputBits = [0, 8]: widths must lie in [1, 64]", e.getMessage());
    }
}
