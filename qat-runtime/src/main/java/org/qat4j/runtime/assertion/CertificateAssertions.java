package org.qat4j.runtime.assertion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.bound.TwosComplementAccumulator;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Assertions for users' own JUnit (or any) tests about integer models and their overflow
 * certificates. Each throws an {@link AssertionError} whose message names the layer, the channel,
 * the worst-case partial-sum interval and the bits (exact interval arithmetic as in A2Q,
 * arXiv 2308.13504 §3, and FINN's accumulator minimization).
 *
 * <pre>{@code
 * CertificateAssertions.assertCertificateHolds(Path.of("model.json"), Path.of("certificate.json"));
 * CertificateAssertions.assertAccumulatorsFit(model, "l0_acc", 16); // exporters name layers l0_acc, l1_acc, ...
 * }</pre>
 */
public final class CertificateAssertions {
    private CertificateAssertions() {}

    /** The certificate file holds for the model file (checked by the independent checker). */
    public static void assertCertificateHolds(Path modelFile, Path certificateFile) throws IOException {
        report(CertificateChecker.check(modelFile, certificateFile));
    }

    /** The certificate holds for the model (checked by the independent checker). */
    public static void assertCertificateHolds(IntegerModel model, OverflowCertificate certificate) {
        report(CertificateChecker.check(model, certificate));
    }

    private static void report(CheckReport r) {
        if (!r.holds()) {
            StringBuilder b = new StringBuilder(
                    "overflow certificate does not hold (" + r.problems().size() + " problems):\n");
            r.problems().stream()
                    .limit(50)
                    .forEach(p -> b.append("  ").append(p).append('\n'));
            throw new AssertionError(b.toString());
        }
    }

    /**
     * Every accumulator of {@code layer} (every output channel, in any accumulation order, for any
     * input) fits a signed register of {@code bits} bits.
     */
    public static void assertAccumulatorsFit(IntegerModel model, String layer, int bits) {
        LayerCertificate l = layerOf(model, layer);
        List<String> bad = new ArrayList<>();
        for (ChannelCertificate c : l.channels()) {
            if (c.signedBitsNeeded() > bits) {
                bad.add("layer '" + layer + "' channel " + c.channel() + ": partial sums range over [" + c.negativeSum()
                        + ", " + c.positiveSum() + "], which needs " + c.signedBitsNeeded() + " signed bits > " + bits);
            }
        }
        if (!bad.isEmpty()) {
            throw new AssertionError(bad.size() + " of " + l.channels().size() + " accumulators do not fit " + bits
                    + " bits:\n  " + String.join("\n  ", bad.subList(0, Math.min(20, bad.size()))));
        }
    }

    /** Every accumulator of every layer fits the width the layer declares. */
    public static void assertAllAccumulatorsFitDeclared(IntegerModel model) {
        for (LayerCertificate l : CertificateProver.prove(model).layers()) {
            assertAccumulatorsFit(model, l.layer(), l.accumulatorBits());
        }
    }

    /**
     * The empirical check beside the proof: feeds each output channel of a dense/conv {@code layer}
     * its worst-case inputs (each input at the end of its range that makes the term largest, then
     * smallest) and accumulates in a simulated two's-complement register of the declared width, in
     * the model's order, positive terms first, and negative terms first; no partial sum may wrap.
     *
     * @return the number of accumulations simulated
     */
    public static long assertWorstCaseDoesNotWrap(IntegerModel model, String layer) {
        ModelOp op = model.op(layer);
        int[] w;
        long[] bias;
        int k;
        int tapsPerRange;
        int bits;
        if (op instanceof DenseOp d) {
            w = d.weights();
            bias = d.bias();
            k = d.inFeatures();
            tapsPerRange = 1;
            bits = d.accumulatorBits();
        } else if (op instanceof ConvOp c) {
            w = c.weights();
            bias = c.bias();
            k = c.taps();
            tapsPerRange = c.taps() / c.inChannels();
            bits = c.accumulatorBits();
        } else {
            throw new IllegalArgumentException("layer '" + layer + "' is a " + op.opType() + ", not dense or conv");
        }
        LayerCertificate l = layerOf(model, layer);
        long[] lo = l.inputMin();
        long[] hi = l.inputMax();
        long runs = 0;
        for (int c = 0; c < bias.length; c++) {
            for (int sense = 0; sense < 2; sense++) {
                long[] terms = new long[k + 1];
                terms[0] = bias[c];
                for (int t = 0; t < k; t++) {
                    int j = t / tapsPerRange;
                    long wt = w[c * k + t];
                    boolean up = (sense == 0) == (wt > 0);
                    terms[t + 1] = wt * (up ? hi[j] : lo[j]);
                }
                for (int order = 0; order < 3; order++) {
                    TwosComplementAccumulator reg = new TwosComplementAccumulator(bits);
                    long exact = 0;
                    for (int pass = 0; pass < (order == 0 ? 1 : 2); pass++) {
                        for (long term : terms) {
                            boolean take = order == 0 || (pass == 0) == (order == 1 ? term > 0 : term < 0);
                            if (take) {
                                reg.add(term);
                                exact += term;
                            }
                        }
                    }
                    runs++;
                    if (reg.wrapped()) {
                        throw new AssertionError(
                                "layer '" + layer + "' channel " + c + ": worst-case inputs wrap a " + bits
                                        + "-bit register (exact sum " + exact + "; certified interval ["
                                        + l.channels().get(c).negativeSum() + ", "
                                        + l.channels().get(c).positiveSum() + "])");
                    }
                }
            }
        }
        return runs;
    }

    private static LayerCertificate layerOf(IntegerModel model, String layer) {
        OverflowCertificate cert = CertificateProver.prove(model);
        return cert.layers().stream()
                .filter(x -> x.layer().equals(layer))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("layer '" + layer
                        + "' has no accumulator; accumulating layers: "
                        + cert.layers().stream().map(LayerCertificate::layer).toList()));
    }
}
