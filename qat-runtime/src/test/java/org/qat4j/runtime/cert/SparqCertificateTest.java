package org.qat4j.runtime.cert;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.fixed.SparqWindow;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.SparqModels;
import org.qat4j.runtime.model.SparqOp;
import org.qat4j.runtime.prove.CertificateProver;

/** The certificate of models with a {@code sparq} op: prover and independent checker agree; edits are caught. */
class SparqCertificateTest {

    private static boolean has(CheckReport r, CheckReport.Kind kind) {
        return r.problems().stream().anyMatch(p -> p.kind() == kind);
    }

    private static IntegerModel replaceSparq(IntegerModel m, SparqOp op) {
        IntegerModel.Builder b = m.toBuilder().clearOps();
        for (ModelOp o : m.ops()) {
            b.addOp(o instanceof SparqOp ? op : o);
        }
        return b.build();
    }

    @Test
    void checkerReDerivesTheTrimmedRangesOfEveryVariant() {
        for (int count : new int[] {5, 3, 2}) {
            for (boolean rounding : new boolean[] {false, true}) {
                for (boolean pairs : new boolean[] {false, true}) {
                    for (IntegerModel m : List.of(
                            SparqModels.conv(7, count, rounding, pairs),
                            SparqModels.dense(8, count, rounding, pairs))) {
                        OverflowCertificate c = CertificateProver.prove(m);
                        assertTrue(c.holds());
                        CheckReport r = CertificateChecker.check(m, c);
                        assertTrue(r.holds(), count + "opt " + rounding + " " + pairs + ": " + r.problems());
                        assertTrue(CertificateWriter.toJson(c).contains("\"op\": \"sparq\""));
                    }
                }
            }
        }
    }

    @Test
    void editedPlacementsRoundingOrPairingOfTheModelAreCaught() {
        IntegerModel m = SparqModels.dense(8, 3, true, true);
        OverflowCertificate c = CertificateProver.prove(m);
        SparqOp op = (SparqOp) m.ops().get(1);
        SparqOp[] edits = {
            new SparqOp(op.name(), op.input(), 8, 4, SparqWindow.placements(8, 4, 5), true, true),
            new SparqOp(op.name(), op.input(), 8, 4, op.placements(), false, true),
            new SparqOp(op.name(), op.input(), 8, 4, op.placements(), true, false)
        };
        for (SparqOp e : edits) {
            CheckReport r = CertificateChecker.check(replaceSparq(m, e), c);
            assertFalse(r.holds(), e.toString());
            assertTrue(has(r, CheckReport.Kind.WRONG), r.problems().toString());
        }
    }

    @Test
    void editedCertificateFactsAreWrongAndAMissingEntryIsMissing() {
        IntegerModel m = SparqModels.dense(8, 5, true, true);
        String text = CertificateWriter.toJson(CertificateProver.prove(m));
        assertTrue(CertificateChecker.check(m, text).holds());
        for (String[] edit : new String[][] {
            {"\"rounding\": \"RND\"", "\"rounding\": \"TRN\""},
            {"\"minWidth\": 4", "\"minWidth\": 8"},
            {"\"maxWidth\": 8,(\\s*)\"placements\"", "\"maxWidth\": 4,$1\"placements\""}
        }) {
            String t = text.replaceFirst(edit[0], edit[1]);
            assertFalse(t.equals(text), edit[0]);
            CheckReport r = CertificateChecker.check(m, t);
            assertTrue(has(r, CheckReport.Kind.WRONG), edit[0] + ": " + r.problems());
        }
        String noPlacements = text.replaceAll(",\\s*\"placements\": \\[[^\\]]*\\]", "");
        assertFalse(noPlacements.equals(text));
        assertTrue(has(CertificateChecker.check(m, noPlacements), CheckReport.Kind.WRONG));
        String widened = text.replaceFirst("\"inputMax\": \\[\\s*31", "\"inputMax\": [\n      255");
        assertFalse(widened.equals(text), "the dense layer states the sparq output bound 31");
        assertTrue(has(CertificateChecker.check(m, widened), CheckReport.Kind.WRONG));
    }

    @Test
    void aSignedInputFailsTheChecker() {
        IntegerModel ok = SparqModels.pair(5, false, true);
        OverflowCertificate c = CertificateProver.prove(ok);
        IntegerModel signed = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("sparq"))
                .setInput("x", 2)
                .addOp(new QuantizeScaledOp("q", "x", 1f, 8, true, false))
                .addOp(ok.ops().get(1))
                .setOutput("sp")
                .build();
        CheckReport r = CertificateChecker.check(signed, c);
        assertFalse(r.holds());
        assertTrue(has(r, CheckReport.Kind.FAILS), r.problems().toString());
    }
}
