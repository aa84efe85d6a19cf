package org.qat4j.runtime.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.EmbeddingModels;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.prove.CertificateProver;

class EmbeddingCertificateTest {

    private static IntegerModel replace(IntegerModel m, ModelOp op) {
        IntegerModel.Builder b = m.toBuilder().clearOps();
        b.addOp(m.ops().get(0));
        b.addOp(op);
        return b.build();
    }

    private static EmbeddingOp edited(EmbeddingOp e, int[] codes, long[] scale, long[] offset, long[] book, int bits) {
        return new EmbeddingOp(
                e.name(), e.input(), e.rows(), e.dim(), e.codeBits(), e.kind(), codes, scale, offset, book, bits);
    }

    private static boolean has(CheckReport r, CheckReport.Kind kind) {
        return r.problems().stream().anyMatch(p -> p.kind() == kind);
    }

    @Test
    void proverCertificateHoldsAndCoversEveryRunOutput() {
        for (EmbeddingOp.Kind kind : EmbeddingOp.Kind.values()) {
            IntegerModel m = AccumulatorWidths.deriveMinimal(EmbeddingModels.random(21, 5, 12, 4, 4, kind, 4, 64));
            OverflowCertificate c = CertificateProver.prove(m);
            CheckReport r = CertificateChecker.check(m, c);
            assertTrue(r.holds(), r.problems().toString());
            // every output the runtime produces lies in the certified interval (here: the full sums)
            LayerCertificate l = c.layers().get(0);
            Random rnd = new Random(1);
            float[] x = new float[200 * 5];
            for (int t = 0; t < x.length; t++) {
                x[t] = rnd.nextInt(40) - 20;
            }
            long[] y = IntegerRuntime.compile(m).runInt(x, 200);
            for (int t = 0; t < y.length; t++) {
                ChannelCertificate ch = l.channels().get(t % 4);
                assertTrue(y[t] >= ch.negativeSum() && y[t] <= ch.positiveSum(), kind + " output " + t + " = " + y[t]);
            }
        }
    }

    @Test
    void checkerCatchesAnEditedRowScaleOffsetAndCodebookEntry() {
        IntegerModel m = EmbeddingModels.random(9, 4, 10, 3, 4, EmbeddingOp.Kind.AFFINE, 4, 40);
        OverflowCertificate c = CertificateProver.prove(m);
        EmbeddingOp e = EmbeddingModels.op(m);
        int[] codes = e.codes();
        codes[7 * 3 + 1] = (codes[7 * 3 + 1] + 1) % 16;
        long[] scale = e.scale();
        scale[2] += 1;
        long[] offset = e.offset();
        offset[9] -= 1;
        for (EmbeddingOp t : new EmbeddingOp[] {
            edited(e, codes, e.scale(), e.offset(), null, 40),
            edited(e, e.codes(), scale, e.offset(), null, 40),
            edited(e, e.codes(), e.scale(), offset, null, 40)
        }) {
            CheckReport r = CertificateChecker.check(replace(m, t), c);
            assertFalse(r.holds());
            assertTrue(has(r, CheckReport.Kind.STALE), r.problems().toString());
        }
        IntegerModel cb = EmbeddingModels.random(9, 4, 10, 3, 4, EmbeddingOp.Kind.CODEBOOK, 4, 40);
        EmbeddingOp ce = EmbeddingModels.op(cb);
        long[] book = ce.codebook();
        int used = ce.codes()[0]; // row 0 column 0 uses this entry
        book[used] += 5;
        CheckReport r = CertificateChecker.check(
                replace(cb, edited(ce, ce.codes(), null, null, book, 40)), CertificateProver.prove(cb));
        assertTrue(has(r, CheckReport.Kind.STALE), r.problems().toString());
    }

    @Test
    void tooNarrowDeclaredWidthFailsAndAStatedIntervalEditIsWrong() {
        IntegerModel m = EmbeddingModels.random(4, 6, 10, 3, 4, EmbeddingOp.Kind.AFFINE, 4, 12);
        OverflowCertificate c = CertificateProver.prove(m);
        assertFalse(c.holds());
        CheckReport r = CertificateChecker.check(m, c);
        assertTrue(has(r, CheckReport.Kind.FAILS), r.problems().toString());

        IntegerModel ok = AccumulatorWidths.deriveMinimal(m);
        String text = CertificateWriter.toJson(CertificateProver.prove(ok));
        long pos = CertificateProver.prove(ok).layers().get(0).channels().get(1).positiveSum();
        String tampered = text.replaceFirst("\"positiveSum\": " + pos, "\"positiveSum\": " + (pos - 1));
        CheckReport t = CertificateChecker.check(ok, tampered);
        assertTrue(has(t, CheckReport.Kind.WRONG), t.problems().toString());
        assertEquals(1, CertificateChecker.check(ok, text).holds() ? 1 : 0);
    }
}
