package org.qat4j.runtime.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.qat4j.runtime.bound.TwosComplementAccumulator;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Properties over random models: the prover and the independent checker agree; derived widths are
 * tight (one bit less fails, and the worst case reaches the certified interval's end exactly in a
 * one-bit-wider register); random inputs never overflow a certified model in the runtime.
 */
class CertificatePropertiesTest {

    @Property(tries = 60)
    void derivedWidthsAreCertifiedAndTight(
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
            @ForAll @IntRange(min = 1, max = 40) int in,
            @ForAll @IntRange(min = 1, max = 12) int out) {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(seed, in, out, 3));
        OverflowCertificate c = CertificateProver.prove(m);
        CheckReport r = CertificateChecker.check(m, c);
        assertTrue(r.holds(), r.table());
        for (LayerCertificate l : c.layers()) {
            assertEquals(l.minimalBits(), l.accumulatorBits());
            DenseOp d = (DenseOp) m.op(l.layer());
            if (l.minimalBits() > 2) {
                IntegerModel smaller =
                        AccumulatorWidths.replace(m, d.name(), AccumulatorWidths.forceBits(d, l.minimalBits() - 1));
                CheckReport rs = CertificateChecker.check(smaller, CertificateProver.prove(smaller));
                assertTrue(rs.problems().stream()
                        .anyMatch(p ->
                                p.kind() == CheckReport.Kind.FAILS && d.name().equals(p.layer())));
            }
            // the interval's ends are reached: positive terms first, at the worst-case inputs
            int k = d.inFeatures();
            int[] w = d.weights();
            for (ChannelCertificate ch : l.channels()) {
                long pos = Math.max(0, d.bias()[ch.channel()]);
                for (int j = 0; j < k; j++) {
                    long wt = w[ch.channel() * k + j];
                    pos += Math.max(0, Math.max(wt * l.inputMin()[j], wt * l.inputMax()[j]));
                }
                assertEquals(ch.positiveSum(), pos);
                TwosComplementAccumulator reg = new TwosComplementAccumulator(l.accumulatorBits());
                reg.add(ch.positiveSum());
                reg.add(ch.negativeSum());
                assertFalse(reg.wrapped());
            }
        }
    }

    @Property(tries = 40)
    void certifiedModelsNeverOverflowOnRandomInputs(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpWide(seed, 16 + seed % 50, 6 + seed % 20));
        assertTrue(CertificateChecker.check(m, CertificateProver.prove(m)).holds());
        IntegerRuntime rt = IntegerRuntime.compile(m);
        Random rnd = new Random(seed);
        float[] x = new float[64 * rt.inputSize()];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) (rnd.nextGaussian() * 300);
        }
        rt.runFloat(x, 64); // would throw AccumulatorOverflowException on a wrap in a checked layer
        for (ModelOp op : m.ops()) {
            if (op instanceof DenseOp d) {
                assertTrue(d.accumulatorBits() <= 64);
            }
        }
    }
}
