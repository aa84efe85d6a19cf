package org.qat4j.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.CheckReport.Kind;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.cert.QuantizerCertificate;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Every way a certificate can fail to describe its model is refused with its own kind, naming the layer:
 * a file that is no certificate (MALFORMED), a layer, channel or quantizer left out (MISSING) or added
 * (EXTRA), a layer stated twice (MALFORMED), a weight hash of other weights (STALE). The untouched
 * certificate is accepted, so each refusal comes from the edit alone.
 */
class CertificateRefusalsTest {

    private final IntegerModel model = TestModels.mlpFixed(11, 6, 4, 3);
    private final OverflowCertificate cert = CertificateProver.prove(model);

    private static Set<Kind> kinds(CheckReport r) {
        return r.problems().stream().map(CheckReport.Problem::kind).collect(Collectors.toSet());
    }

    private OverflowCertificate withLayers(List<LayerCertificate> layers) {
        return new OverflowCertificate(cert.modelProvenance(), cert.proverVersion(), layers, cert.quantizers());
    }

    private static LayerCertificate withChannels(LayerCertificate l, String name, List<ChannelCertificate> channels) {
        return new LayerCertificate(
                name,
                l.op(),
                l.method(),
                l.accumulatorBits(),
                l.inputGranularity(),
                l.inputMin(),
                l.inputMax(),
                l.a2qLimit(),
                l.minimalBits(),
                channels);
    }

    @Test
    void theUntouchedCertificateHoldsAsObjectAndAsText() {
        assertTrue(CertificateChecker.check(model, cert).holds());
        assertTrue(
                CertificateChecker.check(model, CertificateWriter.toJson(cert)).holds());
    }

    @Test
    void textThatIsNoCertificateIsMalformed() {
        for (String text : new String[] {
            "",
            "[1, 2]",
            "{\"format\": \"something-else\", \"certificateVersion\": 1}",
            CertificateWriter.toJson(cert)
                    .replaceFirst("\"certificateVersion\"\\s*:\\s*1", "\"certificateVersion\": 99"),
            CertificateWriter.toJson(cert).substring(0, 200)
        }) {
            CheckReport r = CertificateChecker.check(model, text);
            assertEquals(Set.of(Kind.MALFORMED), kinds(r), "text " + text.substring(0, Math.min(60, text.length())));
        }
    }

    @Test
    void aLayerLeftOutIsMissingAndOneAddedIsExtra() {
        List<LayerCertificate> layers = new ArrayList<>(cert.layers());
        LayerCertificate first = layers.remove(0);
        CheckReport missing = CertificateChecker.check(model, withLayers(layers));
        assertEquals(Set.of(Kind.MISSING), kinds(missing), missing.problems().toString());
        assertEquals(first.layer(), missing.problems().get(0).layer());

        List<LayerCertificate> more = new ArrayList<>(cert.layers());
        more.add(withChannels(first, "ghost", first.channels()));
        CheckReport extra = CertificateChecker.check(model, withLayers(more));
        assertEquals(Set.of(Kind.EXTRA), kinds(extra), extra.problems().toString());
        assertEquals("ghost", extra.problems().get(0).layer());

        List<LayerCertificate> twice = new ArrayList<>(cert.layers());
        twice.add(first);
        assertTrue(kinds(CertificateChecker.check(model, withLayers(twice))).contains(Kind.MALFORMED));
    }

    @Test
    void aChannelLeftOutIsMissingAndOneAddedIsExtra() {
        LayerCertificate first = cert.layers().get(0);
        List<ChannelCertificate> fewer = new ArrayList<>(first.channels());
        fewer.remove(fewer.size() - 1);
        List<LayerCertificate> layers = new ArrayList<>(cert.layers());
        layers.set(0, withChannels(first, first.layer(), fewer));
        CheckReport missing = CertificateChecker.check(model, withLayers(layers));
        assertTrue(kinds(missing).contains(Kind.MISSING), missing.problems().toString());
        assertEquals(first.channels().size() - 1, missing.problems().get(0).channel());

        List<ChannelCertificate> more = new ArrayList<>(first.channels());
        ChannelCertificate last = more.get(more.size() - 1);
        more.add(new ChannelCertificate(
                more.size(),
                last.weightSha256(),
                last.negativeSum(),
                last.positiveSum(),
                last.bitsNeeded(),
                last.signedBitsNeeded(),
                last.holds(),
                last.l1Norm(),
                last.positiveWeightSum(),
                last.negativeWeightSum()));
        layers.set(0, withChannels(first, first.layer(), more));
        CheckReport extra = CertificateChecker.check(model, withLayers(layers));
        assertTrue(kinds(extra).contains(Kind.EXTRA), extra.problems().toString());
    }

    @Test
    void aHashOfOtherWeightsIsStale() {
        LayerCertificate first = cert.layers().get(0);
        List<ChannelCertificate> channels = new ArrayList<>(first.channels());
        ChannelCertificate c = channels.get(1);
        String other = (c.weightSha256().charAt(0) == '0' ? "1" : "0")
                + c.weightSha256().substring(1);
        channels.set(
                1,
                new ChannelCertificate(
                        c.channel(),
                        other,
                        c.negativeSum(),
                        c.positiveSum(),
                        c.bitsNeeded(),
                        c.signedBitsNeeded(),
                        c.holds(),
                        c.l1Norm(),
                        c.positiveWeightSum(),
                        c.negativeWeightSum()));
        List<LayerCertificate> layers = new ArrayList<>(cert.layers());
        layers.set(0, withChannels(first, first.layer(), channels));
        CheckReport r = CertificateChecker.check(model, withLayers(layers));
        assertEquals(Set.of(Kind.STALE), kinds(r), r.problems().toString());
        assertEquals(1, r.problems().get(0).channel());
    }

    @Test
    void aQuantizerLeftOutIsMissingAndOneAddedIsExtra() {
        List<QuantizerCertificate> fewer = new ArrayList<>(cert.quantizers());
        QuantizerCertificate q = fewer.remove(0);
        CheckReport missing = CertificateChecker.check(
                model, new OverflowCertificate(cert.modelProvenance(), cert.proverVersion(), cert.layers(), fewer));
        assertEquals(Set.of(Kind.MISSING), kinds(missing), missing.problems().toString());

        List<QuantizerCertificate> more = new ArrayList<>(cert.quantizers());
        more.add(new QuantizerCertificate("ghost", q.op(), q.rounding(), q.overflow(), q.minWidth(), q.maxWidth()));
        CheckReport extra = CertificateChecker.check(
                model, new OverflowCertificate(cert.modelProvenance(), cert.proverVersion(), cert.layers(), more));
        assertEquals(Set.of(Kind.EXTRA), kinds(extra), extra.problems().toString());
    }
}
