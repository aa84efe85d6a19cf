package org.qat4j.runtime.cert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.EmbeddingModels;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Random embedding models: the prover's certificate at the derived width is accepted by the
 * independent checker, and every partial sum of the runtime's accumulation (in position order, over
 * random and range-extreme indices, padding included) lies in the certified interval of its column.
 */
class EmbeddingPropertiesTest {

    @Property(tries = 60)
    void everyPartialSumLiesInTheCertifiedInterval(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int codeBits,
            @ForAll @IntRange(min = 1, max = 9) int positions,
            @ForAll @IntRange(min = 1, max = 40) int rows,
            @ForAll boolean codebook) {
        EmbeddingOp.Kind kind = codebook ? EmbeddingOp.Kind.CODEBOOK : EmbeddingOp.Kind.AFFINE;
        IntegerModel m = AccumulatorWidths.deriveMinimal(
                EmbeddingModels.random(seed, positions, rows, 3, codeBits, kind, 6, 64));
        OverflowCertificate c = CertificateProver.prove(m);
        assertTrue(c.holds());
        CheckReport r = CertificateChecker.check(m, c);
        assertTrue(r.holds(), r.problems().toString());
        EmbeddingOp e = EmbeddingModels.op(m);
        long[] v = e.decoded();
        Random rnd = new Random(seed);
        int batch = 64;
        float[] x = new float[batch * positions];
        for (int t = 0; t < x.length; t++) {
            int pick = rnd.nextInt(4);
            x[t] = pick == 0 ? -64 : pick == 1 ? 63 : pick == 2 ? rnd.nextInt(rows) : rnd.nextInt(128) - 64;
        }
        long[] y = IntegerRuntime.compile(m).runInt(x, batch);
        LayerCertificate l = c.layers().get(0);
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < 3; d++) {
                ChannelCertificate ch = l.channels().get(d);
                long s = 0;
                for (int p = 0; p < positions; p++) {
                    long idx = (long) Math.max(-64, Math.min(63, Math.floor(x[b * positions + p] + 0.5)));
                    if (idx >= 0 && idx < rows) {
                        s += v[(int) idx * 3 + d];
                        assertTrue(
                                s >= ch.negativeSum() && s <= ch.positiveSum(),
                                "partial sum " + s + " outside certified interval");
                    }
                }
                assertTrue(s == y[b * 3 + d], "runtime " + y[b * 3 + d] + " vs in-order sum " + s);
            }
        }
    }
}
