package org.qat4j.runtime.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.MultipointModels;
import org.qat4j.runtime.prove.CertificateProver;

/** The multipoint op's certificate: two entries per op (points, combination), and every kind of edit the checker must catch. */
class MultipointCertificateTest {
    private static final IntegerModel MODEL =
            AccumulatorWidths.deriveMinimal(MultipointModels.mlp(17, 12, 8, 4, 4, 64, 64));

    private static boolean has(CheckReport r, CheckReport.Kind kind, String layer) {
        return r.problems().stream().anyMatch(p -> p.kind() == kind && layer.equals(p.layer()));
    }

    private static IntegerModel with(MultipointDenseOp op) {
        return AccumulatorWidths.replace(MODEL, op.name(), op);
    }

    private static MultipointDenseOp mp1() {
        return (MultipointDenseOp) MODEL.op("mp1");
    }

    private static MultipointDenseOp edit(int[] points, int[] codes, long[] mult, long[] bias) {
        MultipointDenseOp m = mp1();
        return new MultipointDenseOp(
                m.name(),
                m.input(),
                m.inFeatures(),
                m.outFeatures(),
                m.weightBits(),
                points,
                codes,
                mult,
                bias,
                m.pointAccumulatorBits(),
                m.accumulatorBits());
    }

    @Test
    void proverCertificateHoldsWithTwoEntriesPerOpAndCoversEveryOutput() {
        OverflowCertificate c = CertificateProver.prove(MODEL);
        assertTrue(c.holds());
        CheckReport r = CertificateChecker.check(MODEL, c);
        assertTrue(r.holds(), r.problems().toString());
        assertEquals(
                java.util.List.of("mp1/points", "mp1", "mp2/points", "mp2"),
                c.layers().stream().map(LayerCertificate::layer).toList());
        assertEquals("multipoint_points", c.layers().get(0).op());
        assertEquals(mp1().rows(), c.layers().get(0).channels().size());
        // every combined output of mp1 the runtime computes lies in the certified any-order interval
        LayerCertificate l = c.layers().get(1);
        Random rnd = new Random(2);
        float[] x = new float[300 * 12];
        for (int t = 0; t < x.length; t++) {
            x[t] = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 100f : -100f) : (float) rnd.nextGaussian() * 4;
        }
        long[] y = (long[]) IntegerRuntime.compile(MODEL).trace(x, 300).get("mp1");
        for (int t = 0; t < y.length; t++) {
            ChannelCertificate ch = l.channels().get(t % 8);
            assertTrue(y[t] >= ch.negativeSum() && y[t] <= ch.positiveSum(), "output " + t + " = " + y[t]);
        }
    }

    @Test
    void anEditedCodeMultiplierBiasOrPointSplitIsStale() {
        OverflowCertificate c = CertificateProver.prove(MODEL);
        MultipointDenseOp m = mp1();
        int[] codes = m.codes();
        codes[5] = codes[5] == 0 ? 1 : 0;
        long[] mult = m.multipliers();
        mult[m.rows() - 1] += 1;
        long[] bias = m.bias();
        bias[3] -= 1;
        // move one point from the first channel with two or more to its neighbour: same rows, other split
        int[] points = m.points();
        int from = 0;
        while (points[from] < 2) {
            from++;
        }
        points[from]--;
        points[(from + 1) % points.length]++;
        for (MultipointDenseOp t : new MultipointDenseOp[] {
            edit(m.points(), codes, m.multipliers(), m.bias()),
            edit(m.points(), m.codes(), mult, m.bias()),
            edit(m.points(), m.codes(), m.multipliers(), bias),
            edit(points, m.codes(), m.multipliers(), m.bias())
        }) {
            CheckReport r = CertificateChecker.check(with(t), c);
            assertFalse(r.holds());
            assertTrue(
                    r.problems().stream().anyMatch(p -> p.kind() == CheckReport.Kind.STALE),
                    r.problems().toString());
        }
    }

    @Test
    void aNarrowerPointOrCombinationWidthFailsAndAnEditedIntervalIsWrong() {
        MultipointDenseOp m = mp1();
        for (int[] w : new int[][] {
            {m.pointAccumulatorBits() - 1, m.accumulatorBits()}, {m.pointAccumulatorBits(), m.accumulatorBits() - 1}
        }) {
            IntegerModel narrow = with(AccumulatorWidths.multipointWithBits(m, w[0], w[1]));
            OverflowCertificate c = CertificateProver.prove(narrow);
            assertFalse(c.holds());
            CheckReport r = CertificateChecker.check(narrow, c);
            String layer = w[0] < m.pointAccumulatorBits() ? "mp1/points" : "mp1";
            assertTrue(has(r, CheckReport.Kind.FAILS, layer), r.problems().toString());
            // the original certificate against the narrowed model: the stated width is WRONG
            CheckReport stale = CertificateChecker.check(narrow, CertificateProver.prove(MODEL));
            assertTrue(
                    has(stale, CheckReport.Kind.WRONG, layer), stale.problems().toString());
        }
        String text = CertificateWriter.toJson(CertificateProver.prove(MODEL));
        long pos =
                CertificateProver.prove(MODEL).layers().get(1).channels().get(2).positiveSum();
        String tampered = text.replaceFirst("\"positiveSum\": " + pos + ",", "\"positiveSum\": " + (pos + 1) + ",");
        CheckReport t = CertificateChecker.check(MODEL, tampered);
        assertTrue(has(t, CheckReport.Kind.WRONG, "mp1"), t.problems().toString());
    }
}
