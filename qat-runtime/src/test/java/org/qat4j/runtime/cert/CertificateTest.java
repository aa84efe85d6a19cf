package org.qat4j.runtime.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

class CertificateTest {
    @TempDir
    Path dir;

    private static int tamperings;

    static List<IntegerModel> models() {
        return List.of(
                AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 64, 32, 32, 5)),
                AccumulatorWidths.deriveMinimal(TestModels.cnnFixed(3)),
                AccumulatorWidths.deriveMinimal(TestModels.conv1dFixed(4)),
                TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q, 16, 20, 12, 4),
                TestModels.mlpA2q(6, A2qConstraint.Variant.A2Q_PLUS, 14, 20, 12, 4),
                TestModels.mlpA2q(7, A2qConstraint.Variant.A2Q_PLUS, 12, 64, 8),
                TestModels.cnnA2qFloatAvgPool(10),
                TestModels.mlpA2qResidual(12));
    }

    @AfterAll
    static void printCount() {
        // recorded in the surefire report for the closing note
        System.out.println("certificate tamperings rejected: " + tamperings);
    }

    private void rejected(IntegerModel model, String cert, String why) {
        CheckReport r = CertificateChecker.check(model, cert);
        assertFalse(r.holds(), "tampering not detected: " + why);
        tamperings++;
    }

    @Test
    void proverCertificatesHoldUnderTheIndependentChecker() {
        for (IntegerModel m : models()) {
            OverflowCertificate c = CertificateProver.prove(m);
            assertTrue(c.holds(), m.provenance().method());
            CheckReport r = CertificateChecker.check(m, c);
            assertTrue(r.holds(), r.table());
            assertEquals(c.layers().size(), r.rows().size());
            assertTrue(r.weightsChecked() > 0);
        }
    }

    @Test
    void fileRoundTripAndAssertionsOnFiles() throws IOException {
        IntegerModel m = models().get(1);
        Path mf = dir.resolve("model.json");
        Path cf = dir.resolve("certificate.json");
        ModelWriter.write(m, mf);
        CertificateWriter.write(CertificateProver.prove(m), cf);
        CheckReport r = CertificateChecker.check(mf, cf);
        assertTrue(r.holds(), r.table());
        assertTrue(r.table().contains("conv1"), r.table());
    }

    /** Edits of the certificate text: every one must be rejected. */
    @Test
    void tamperedCertificatesAreRejected() {
        for (IntegerModel m : models()) {
            String good = CertificateWriter.toJson(CertificateProver.prove(m));
            List<Consumer<JsonObject>> edits = new ArrayList<>();
            edits.add(r -> firstChannel(r)
                    .addProperty(
                            "weightSha256",
                            "00"
                                    + firstChannel(r)
                                            .get("weightSha256")
                                            .getAsString()
                                            .substring(2)));
            edits.add(r -> firstChannel(r)
                    .addProperty(
                            "negativeSum", firstChannel(r).get("negativeSum").getAsLong() + 1));
            edits.add(r -> firstChannel(r)
                    .addProperty(
                            "positiveSum", firstChannel(r).get("positiveSum").getAsLong() - 1));
            edits.add(r -> firstChannel(r)
                    .addProperty("bitsNeeded", firstChannel(r).get("bitsNeeded").getAsInt() - 1));
            edits.add(r -> firstChannel(r)
                    .addProperty(
                            "signedBitsNeeded",
                            firstChannel(r).get("signedBitsNeeded").getAsInt() - 1));
            edits.add(r -> firstChannel(r).addProperty("holds", false));
            edits.add(r -> firstLayer(r).getAsJsonArray("channels").remove(0));
            edits.add(r ->
                    firstLayer(r).getAsJsonArray("channels").add(firstChannel(r).deepCopy()));
            edits.add(r -> r.getAsJsonArray("layers").remove(0));
            edits.add(r ->
                    r.getAsJsonArray("layers").remove(r.getAsJsonArray("layers").size() - 1));
            edits.add(r -> r.getAsJsonArray("layers").add(firstLayer(r).deepCopy()));
            edits.add(r -> firstLayer(r).addProperty("layer", "renamed"));
            edits.add(r -> firstLayer(r)
                    .addProperty(
                            "accumulatorBits",
                            firstLayer(r).get("accumulatorBits").getAsInt() + 1));
            edits.add(r -> firstLayer(r)
                    .addProperty("minimalBits", firstLayer(r).get("minimalBits").getAsInt() - 1));
            edits.add(r -> firstLayer(r)
                    .addProperty(
                            "method", "A2Q".equals(firstLayer(r).get("method").getAsString()) ? "derived" : "A2Q"));
            edits.add(r -> firstLayer(r).addProperty("verdict", "fails"));
            edits.add(r -> {
                JsonArray a = firstLayer(r).getAsJsonArray("inputMin");
                a.set(0, new com.google.gson.JsonPrimitive(a.get(0).getAsLong() + 1));
            });
            edits.add(r -> {
                JsonArray a = firstLayer(r).getAsJsonArray("inputMax");
                a.set(
                        a.size() - 1,
                        new com.google.gson.JsonPrimitive(a.get(a.size() - 1).getAsLong() - 1));
            });
            edits.add(r -> firstLayer(r).getAsJsonArray("inputMax").remove(0));
            edits.add(r -> r.addProperty("verdict", "fails"));
            edits.add(r -> r.addProperty("certificateVersion", 2));
            edits.add(r -> r.addProperty("format", "something-else"));
            edits.add(r -> r.remove("layers"));
            edits.add(r -> r.getAsJsonArray("quantizers").remove(0));
            edits.add(r -> {
                JsonObject q = r.getAsJsonArray("quantizers").get(0).getAsJsonObject();
                q.addProperty("overflow", "SAT".equals(q.get("overflow").getAsString()) ? "WRAP" : "SAT");
            });
            edits.add(r -> {
                JsonObject q = r.getAsJsonArray("quantizers").get(0).getAsJsonObject();
                q.addProperty("maxWidth", q.get("maxWidth").getAsInt() + 1);
            });
            edits.add(r -> r.getAsJsonObject("modelProvenance").addProperty("seed", 12345));
            edits.add(r -> firstChannel(r).remove("negativeSum"));
            if (m.provenance().method().startsWith("A2Q")) {
                edits.add(r -> firstLayer(r)
                        .addProperty("a2qLimit", firstLayer(r).get("a2qLimit").getAsLong() + 1));
                edits.add(r -> firstLayer(r).remove("a2qLimit"));
                if (m.provenance().method().equals("A2Q")) {
                    edits.add(r -> firstChannel(r)
                            .addProperty("l1Norm", firstChannel(r).get("l1Norm").getAsLong() - 1));
                } else {
                    edits.add(r -> firstChannel(r)
                            .addProperty(
                                    "positiveWeightSum",
                                    firstChannel(r).get("positiveWeightSum").getAsLong() - 1));
                    edits.add(r -> firstChannel(r)
                            .addProperty(
                                    "negativeWeightSum",
                                    firstChannel(r).get("negativeWeightSum").getAsLong() + 1));
                }
            }
            for (int n = 0; n < edits.size(); n++) {
                JsonObject root = JsonParser.parseString(good).getAsJsonObject();
                edits.get(n).accept(root);
                rejected(m, root.toString(), m.provenance().method() + " certificate edit #" + n);
            }
            // truncation at many cut points
            for (int len = 0; len < good.length() - 3; len += Math.max(1, good.length() / 40)) {
                rejected(m, good.substring(0, len), "truncated at " + len);
            }
        }
    }

    /** Edits of the model with the old certificate: stale, wrong or failing, always rejected. */
    @Test
    void tamperedModelsAreRejected() {
        Random rnd = new Random(11);
        for (IntegerModel m : models()) {
            String cert = CertificateWriter.toJson(CertificateProver.prove(m));
            for (ModelOp op : m.ops()) {
                int[] w;
                if (op instanceof DenseOp d) {
                    w = d.weights();
                } else if (op instanceof ConvOp c) {
                    w = c.weights();
                } else {
                    continue;
                }
                // 20 random single-weight changes per layer: the hash makes each stale
                for (int t = 0; t < 20; t++) {
                    int[] w2 = w.clone();
                    int idx = rnd.nextInt(w2.length);
                    w2[idx] += rnd.nextBoolean() ? 1 : -1;
                    rejected(
                            AccumulatorWidths.replace(m, op.name(), AccumulatorWidths.withWeights(op, w2)),
                            cert,
                            op.name() + " weight " + idx);
                }
                // declared width lowered by one
                int bits = op instanceof DenseOp d ? d.accumulatorBits() : ((ConvOp) op).accumulatorBits();
                rejected(
                        AccumulatorWidths.replace(m, op.name(), AccumulatorWidths.forceBits(op, bits - 1)),
                        cert,
                        op.name() + " P - 1");
            }
            // a layer removed from the model: cut after the first accumulating op's successor chain is not general, so
            // remove the model's last op when that leaves a valid model, else rename an accumulating layer
            ModelOp first = m.ops().stream()
                    .filter(o -> o instanceof DenseOp || o instanceof ConvOp)
                    .findFirst()
                    .orElseThrow();
            IntegerModel.Builder b = m.toBuilder().clearOps();
            for (ModelOp op : m.ops()) {
                b.addOp(op);
                if (op == first) {
                    break;
                }
            }
            long accumulating = m.ops().stream()
                    .filter(o -> o instanceof DenseOp || o instanceof ConvOp)
                    .count();
            if (accumulating > 1) {
                rejected(b.setOutput(first.name()).build(), cert, "model truncated after " + first.name());
            }
        }
    }

    /** Widening an input format changes the input ranges: the old certificate is wrong for it. */
    @Test
    void widerInputFormatIsRejected() {
        IntegerModel m = models().get(0);
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        QuantizeFixedOp q = (QuantizeFixedOp) m.op("q0");
        int[] i = q.formats().i();
        i[3] += 1;
        QuantizeFixedOp wider = new QuantizeFixedOp(
                "q0", "x", FixedFormats.of(q.formats().k(), i, q.formats().f(), "f"), q.rounding(), q.overflow());
        rejected(AccumulatorWidths.replace(m, "q0", wider), cert, "input format widened");
    }

    /**
     * A weight moved one step past its bound, with a FRESH certificate (hashes match): the checker
     * must still reject it because the bound itself is broken — for A2Q (‖q‖₁ = T + 1), A2Q+
     * (Q+ = T/2 + 1, and Q− = T/2 + 1) and derived widths (interval one past P).
     */
    @Test
    void weightOnePastItsBoundIsRejectedEvenWithAFreshCertificate() {
        for (IntegerModel m : models()) {
            for (ModelOp op : m.ops()) {
                if (!(op instanceof DenseOp d)) {
                    continue;
                }
                OverflowCertificate c = CertificateProver.prove(m);
                LayerCertificate lc = c.layer(d.name());
                int k = d.inFeatures();
                int[] w = d.weights();
                if (d.constraint() != null && d.constraint().variant() == A2qConstraint.Variant.A2Q) {
                    for (int ch = 0; ch < d.outFeatures(); ch += Math.max(1, d.outFeatures() / 3)) {
                        long l1 = lc.channels().get(ch).l1Norm();
                        int[] w2 = w.clone();
                        int j = argMaxAbs(w2, ch * k, k);
                        w2[ch * k + j] += (int) ((lc.a2qLimit() - l1 + 1) * (w2[ch * k + j] >= 0 ? 1 : -1));
                        checkFreshRejected(m, d, w2, "A2Q l1 = T + 1 in channel " + ch);
                    }
                } else if (d.constraint() != null) {
                    for (int ch = 0; ch < d.outFeatures(); ch += Math.max(1, d.outFeatures() / 3)) {
                        ChannelCertificate cc = lc.channels().get(ch);
                        int[] w2 = w.clone();
                        int j = argMax(w2, ch * k, k, 1);
                        w2[ch * k + j] += (int) (lc.a2qLimit() - cc.positiveWeightSum() + 1);
                        checkFreshRejected(m, d, w2, "A2Q+ Q+ = T/2 + 1 in channel " + ch);
                        int[] w3 = w.clone();
                        int jn = argMax(w3, ch * k, k, -1);
                        w3[ch * k + jn] -= (int) (lc.a2qLimit() - cc.negativeWeightSum() + 1);
                        checkFreshRejected(m, d, w3, "A2Q+ Q- = T/2 + 1 in channel " + ch);
                    }
                } else {
                    // derived width: grow the largest weight until the interval needs one more bit than declared
                    int ch = 0;
                    int[] w2 = w.clone();
                    int j = argMaxAbs(w2, ch * k, k);
                    int sign = w2[ch * k + j] >= 0 ? 1 : -1;
                    // smallest growth that breaks the declared width (exponential then binary search); one step less
                    // must hold
                    int base = w2[ch * k + j];
                    long lo = 0;
                    long hi = 1;
                    while (bitsAfter(m, d, w2, ch * k + j, base + sign * hi) <= d.accumulatorBits()) {
                        lo = hi;
                        hi *= 2;
                    }
                    while (hi - lo > 1) {
                        long mid = (lo + hi) / 2;
                        if (bitsAfter(m, d, w2, ch * k + j, base + sign * mid) <= d.accumulatorBits()) {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    w2[ch * k + j] = (int) (base + sign * lo);
                    IntegerModel justInside =
                            AccumulatorWidths.replace(m, d.name(), AccumulatorWidths.withWeights(d, w2));
                    // one step less: this layer still holds (a downstream adder may not, its width was derived for the
                    // old weights)
                    assertTrue(
                            CertificateChecker.check(justInside, CertificateProver.prove(justInside))
                                    .problems()
                                    .stream()
                                    .noneMatch(p -> d.name().equals(p.layer())));
                    w2[ch * k + j] = (int) (base + sign * hi);
                    checkFreshRejected(m, d, w2, "derived width exceeded by one step in " + d.name());
                }
            }
        }
    }

    private static int bitsAfter(IntegerModel m, DenseOp d, int[] w, int idx, long value) {
        int[] w2 = w.clone();
        w2[idx] = (int) value;
        IntegerModel t = AccumulatorWidths.replace(m, d.name(), AccumulatorWidths.withWeights(d, w2));
        return CertificateProver.prove(t)
                .layer(d.name())
                .channels()
                .get(idx / d.inFeatures())
                .signedBitsNeeded();
    }

    private void checkFreshRejected(IntegerModel m, DenseOp d, int[] w2, String why) {
        IntegerModel t = AccumulatorWidths.replace(m, d.name(), AccumulatorWidths.withWeights(d, w2));
        OverflowCertificate fresh = CertificateProver.prove(t);
        assertFalse(fresh.holds(), "prover missed: " + why);
        CheckReport r = CertificateChecker.check(t, fresh);
        assertTrue(
                r.problems().stream()
                        .anyMatch(p ->
                                p.kind() == CheckReport.Kind.FAILS && p.layer().equals(d.name())),
                why + ": " + r.problems());
        tamperings++;
    }

    private static int argMaxAbs(int[] w, int from, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (Math.abs(w[from + j]) > Math.abs(w[from + best])) {
                best = j;
            }
        }
        return best;
    }

    private static int argMax(int[] w, int from, int k, int sign) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (sign * w[from + j] > sign * w[from + best]) {
                best = j;
            }
        }
        return best;
    }

    @Test
    void malformedCertificateFilesAreRejectedWithoutOutOfMemory() throws IOException {
        IntegerModel m = models().get(0);
        Path mf = dir.resolve("m.json");
        ModelWriter.write(m, mf);
        Path cf = dir.resolve("c.json");
        Random rnd = new Random(3);
        for (int t = 0; t < 30; t++) {
            byte[] b = new byte[rnd.nextInt(1000)];
            rnd.nextBytes(b);
            Files.write(cf, b);
            assertFalse(CertificateChecker.check(mf, cf).holds());
            tamperings++;
        }
        Files.writeString(
                cf,
                "{\"format\":\"qat4j-overflow-certificate\",\"certificateVersion\":1,\"verdict\":\"holds\","
                        + "\"modelProvenance\":{\"method\":\"HGQ\",\"recipe\":\"hand-built\",\"seed\":0,\"libraryVersion\":\"x\",\"settings\":{}},"
                        + "\"layers\":[],\"quantizers\":[]}");
        CheckReport r = CertificateChecker.check(mf, cf);
        assertFalse(r.holds());
        assertTrue(
                r.problems().stream().allMatch(p -> p.kind() == CheckReport.Kind.MISSING),
                r.problems().toString());
        tamperings++;
    }

    private static JsonObject firstLayer(JsonObject r) {
        return r.getAsJsonArray("layers").get(0).getAsJsonObject();
    }

    private static JsonObject firstChannel(JsonObject r) {
        return firstLayer(r).getAsJsonArray("channels").get(0).getAsJsonObject();
    }
}
