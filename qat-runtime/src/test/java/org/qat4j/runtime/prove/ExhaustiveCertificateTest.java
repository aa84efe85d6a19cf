package org.qat4j.runtime.prove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;

/**
 * The prover's per-channel facts on tiny dense layers (inputs of 0 to 3 bits), against brute force: every
 * input code vector of the quantizer's formats and every accumulation order (a prefix of an order is a
 * subset of the terms {@code w_j·x_j} and the bias). The certified {@code [negativeSum, positiveSum]} must
 * contain every partial sum and be attained (tight); {@code signedBitsNeeded} is the smallest signed width
 * holding it, {@code holds} says whether it fits the declared P; the independent checker accepts the
 * certificate and refuses it with any bound tightened by one.
 */
class ExhaustiveCertificateTest {

    @Property(tries = 60)
    void certifiedIntervalIsExactlyTheRangeOfAllPartialSums(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        int in = 1 + rnd.nextInt(3);
        int out = 1 + rnd.nextInt(2);
        int[] k = new int[in];
        int[] i = new int[in];
        int[] f = new int[in];
        for (int j = 0; j < in; j++) {
            k[j] = rnd.nextInt(2);
            int width = rnd.nextInt(4);
            f[j] = rnd.nextInt(3) - 1;
            i[j] = width - k[j] - f[j];
        }
        FixedFormats formats = FixedFormats.of(k, i, f, "test");
        int[] w = new int[in * out];
        for (int t = 0; t < w.length; t++) {
            w[t] = rnd.nextInt(15) - 7;
        }
        long[] bias = new long[out];
        for (int c = 0; c < out; c++) {
            bias[c] = rnd.nextInt(41) - 20;
        }
        int p = 2 + rnd.nextInt(9);
        IntegerModel model = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", in)
                .addOp(new QuantizeFixedOp("q", "x", formats, RoundingMode.RND, OverflowMode.SAT))
                .addOp(new DenseOp("d", "q", in, out, w, bias, p, null))
                .addOp(new DequantizeFixedOp("out", "d", new int[] {0}))
                .setOutput("out")
                .build();

        long[] lo = new long[in];
        long[] hi = new long[in];
        for (int j = 0; j < in; j++) {
            FixedFormat fj = formats.get(j);
            lo[j] = fj.minMantissa(OverflowMode.SAT);
            hi[j] = fj.maxMantissa();
        }
        OverflowCertificate cert = CertificateProver.prove(model);
        LayerCertificate layer = cert.layer("d");
        for (int c = 0; c < out; c++) {
            long[] minMax = {Long.MAX_VALUE, Long.MIN_VALUE};
            long[] x = lo.clone();
            do {
                long[] terms = new long[in + 1];
                for (int j = 0; j < in; j++) {
                    terms[j] = (long) w[c * in + j] * x[j];
                }
                terms[in] = bias[c];
                for (int subset = 0; subset < 1 << terms.length; subset++) {
                    long s = 0;
                    for (int t = 0; t < terms.length; t++) {
                        if ((subset >> t & 1) != 0) {
                            s += terms[t];
                        }
                    }
                    minMax[0] = Math.min(minMax[0], s);
                    minMax[1] = Math.max(minMax[1], s);
                }
            } while (next(x, lo, hi));
            ChannelCertificate ch = layer.channels().get(c);
            assertEquals(minMax[0], ch.negativeSum(), "channel " + c + " negative sum");
            assertEquals(minMax[1], ch.positiveSum(), "channel " + c + " positive sum");
            int bits = smallestSignedWidth(minMax[0], minMax[1]);
            assertEquals(bits, ch.signedBitsNeeded(), "channel " + c);
            assertEquals(bits <= p, ch.holds(), "channel " + c + " with P = " + p);
        }

        CheckReport accepted = CertificateChecker.check(model, cert);
        assertEquals(cert.holds(), accepted.holds(), accepted.problems().toString());
        for (int c = 0; c < out; c++) {
            ChannelCertificate ch = layer.channels().get(c);
            if (ch.negativeSum() < 0) {
                assertRefused(model, cert, c, ch.negativeSum() + 1, ch.positiveSum());
            }
            assertRefused(model, cert, c, ch.negativeSum(), ch.positiveSum() + 1);
        }
    }

    private static void assertRefused(IntegerModel model, OverflowCertificate cert, int channel, long neg, long pos) {
        LayerCertificate layer = cert.layer("d");
        List<ChannelCertificate> channels = new ArrayList<>(layer.channels());
        ChannelCertificate ch = channels.get(channel);
        channels.set(
                channel,
                new ChannelCertificate(
                        ch.channel(),
                        ch.weightSha256(),
                        neg,
                        pos,
                        ch.bitsNeeded(),
                        ch.signedBitsNeeded(),
                        ch.holds(),
                        ch.l1Norm(),
                        ch.positiveWeightSum(),
                        ch.negativeWeightSum()));
        LayerCertificate edited = new LayerCertificate(
                layer.layer(),
                layer.op(),
                layer.method(),
                layer.accumulatorBits(),
                layer.inputGranularity(),
                layer.inputMin(),
                layer.inputMax(),
                layer.a2qLimit(),
                layer.minimalBits(),
                channels);
        OverflowCertificate wrong = new OverflowCertificate(
                cert.modelProvenance(), cert.proverVersion(), List.of(edited), cert.quantizers());
        CheckReport report = CertificateChecker.check(model, wrong);
        assertFalse(
                report.holds(), "an edited interval [" + neg + ", " + pos + "] of channel " + channel + " is refused");
        assertTrue(
                report.problems().stream().anyMatch(pr -> pr.kind() == CheckReport.Kind.WRONG),
                report.problems().toString());
    }

    /** Odometer over the integer box {@code [lo, hi]}; false after the last vector. */
    private static boolean next(long[] x, long[] lo, long[] hi) {
        for (int j = 0; j < x.length; j++) {
            if (x[j] < hi[j]) {
                x[j]++;
                return true;
            }
            x[j] = lo[j];
        }
        return false;
    }

    private static int smallestSignedWidth(long min, long max) {
        for (int w = 1; w < 64; w++) {
            if (min >= -(1L << (w - 1)) && max <= (1L << (w - 1)) - 1) {
                return w;
            }
        }
        return 64;
    }
}
