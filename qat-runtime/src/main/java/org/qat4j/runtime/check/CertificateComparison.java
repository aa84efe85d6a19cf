package org.qat4j.runtime.check;

import com.google.gson.JsonArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.model.Json;

/**
 * Compares what a certificate states with what the checker recomputed, field by field: anything
 * the model has and the certificate lacks is MISSING, the reverse is EXTRA, a differing weight hash
 * is STALE, any other differing fact is WRONG.
 */
final class CertificateComparison {
    private final CheckFindings findings;

    CertificateComparison(CheckFindings findings) {
        this.findings = findings;
    }

    void layers(List<RecomputedLayer> facts, List<StatedLayer> stated) {
        Map<String, StatedLayer> byName = new LinkedHashMap<>();
        for (StatedLayer l : stated) {
            String name = l.fields().string("layer");
            if (byName.put(name, l) != null) {
                findings.problem(CheckReport.Kind.MALFORMED, name, -1, "layer appears twice in the certificate");
            }
        }
        for (RecomputedLayer f : facts) {
            long wMin = 0;
            long wMax = 0;
            int minimal = 1;
            boolean holds = true;
            for (RecomputedLayer.Channel c : f.channels()) {
                wMin = Math.min(wMin, c.neg());
                wMax = Math.max(wMax, c.pos());
                minimal = Math.max(minimal, RegisterWidths.signedBits(c.neg(), c.pos()));
                holds &= c.holds();
            }
            findings.row(new CheckReport.Row(
                    f.name(), f.op(), f.method(), f.channels().size(), wMin, wMax, minimal, f.bits(), holds));
            StatedLayer l = byName.remove(f.name());
            if (l == null) {
                findings.problem(
                        CheckReport.Kind.MISSING,
                        f.name(),
                        -1,
                        "the model's " + f.op() + " layer is not in the certificate");
                continue;
            }
            Json s = l.fields();
            same(f.name(), -1, "op", s.string("op"), f.op());
            same(f.name(), -1, "method", s.string("method"), f.method());
            same(f.name(), -1, "accumulatorBits", s.integer("accumulatorBits"), f.bits());
            same(f.name(), -1, "minimalBits", s.integer("minimalBits"), minimal);
            same(f.name(), -1, "verdict", s.string("verdict"), holds ? "holds" : "fails");
            same(f.name(), -1, "inputGranularity", s.string("inputGranularity"), f.granularity());
            if (f.limit() >= 0 || s.has("a2qLimit")) {
                same(f.name(), -1, "a2qLimit", s.has("a2qLimit") ? s.longValue("a2qLimit") : -1, f.limit());
            }
            if (l.inputMin() != null) {
                sameArray(f.name(), "inputMin", l.inputMin(), f.inMin());
            } else {
                sameArray(f.name(), "inputMin", s.array("inputMin"), f.inMin());
            }
            if (l.inputMax() != null) {
                sameArray(f.name(), "inputMax", l.inputMax(), f.inMax());
            } else {
                sameArray(f.name(), "inputMax", s.array("inputMax"), f.inMax());
            }
            StatedChannels chans = l.channels();
            for (int c = 0; c < Math.max(chans.count(), f.channels().size()); c++) {
                if (c >= chans.count()) {
                    findings.problem(CheckReport.Kind.MISSING, f.name(), c, "channel not in the certificate");
                    continue;
                }
                if (c >= f.channels().size()) {
                    findings.problem(
                            CheckReport.Kind.EXTRA,
                            f.name(),
                            c,
                            "the model has only " + f.channels().size() + " channels");
                    continue;
                }
                channel(f.name(), c, chans, f.channels().get(c));
            }
        }
        for (String extra : byName.keySet()) {
            findings.problem(
                    CheckReport.Kind.EXTRA, extra, -1, "the certificate speaks about a layer the model does not have");
        }
    }

    private void channel(String layer, int c, StatedChannels s, RecomputedLayer.Channel f) {
        same(layer, c, "channel", s.channel(c), c);
        if (f.hash() != null) {
            String h = s.hasHash(c) ? s.hash(c) : "(absent)";
            if (!h.equals(f.hash())) {
                findings.problem(
                        CheckReport.Kind.STALE,
                        layer,
                        c,
                        "weightSha256 = " + h + " but the model's weights hash to " + f.hash());
            }
        } else if (s.hasHash(c)) {
            findings.problem(CheckReport.Kind.WRONG, layer, c, "weightSha256 given for an op without weights");
        }
        same(layer, c, "negativeSum", s.negativeSum(c), f.neg());
        same(layer, c, "positiveSum", s.positiveSum(c), f.pos());
        same(layer, c, "bitsNeeded", s.bitsNeeded(c), RegisterWidths.finnBits(f.neg(), f.pos()));
        same(layer, c, "signedBitsNeeded", s.signedBitsNeeded(c), RegisterWidths.signedBits(f.neg(), f.pos()));
        same(layer, c, "holds", s.holds(c) ? 1 : 0, f.holds() ? 1 : 0);
        if (f.l1() >= 0 || s.hasL1Norm(c)) {
            same(layer, c, "l1Norm", s.hasL1Norm(c) ? s.l1Norm(c) : -1, f.l1());
        }
        if (f.qPos() >= 0 || s.hasPositiveWeightSum(c)) {
            same(layer, c, "positiveWeightSum", s.hasPositiveWeightSum(c) ? s.positiveWeightSum(c) : -1, f.qPos());
            same(layer, c, "negativeWeightSum", s.hasNegativeWeightSum(c) ? s.negativeWeightSum(c) : -1, f.qNeg());
        }
    }

    void quantizers(Map<String, String[]> facts, Json[] stated) {
        Map<String, Json> byName = new LinkedHashMap<>();
        for (Json s : stated) {
            byName.put(s.string("layer"), s);
        }
        for (Map.Entry<String, String[]> e : facts.entrySet()) {
            Json s = byName.remove(e.getKey());
            String[] f = e.getValue();
            if (s == null) {
                findings.problem(
                        CheckReport.Kind.MISSING, e.getKey(), -1, "activation quantizer not in the certificate");
                continue;
            }
            same(e.getKey(), -1, "op", s.string("op"), f[0]);
            same(e.getKey(), -1, "rounding", s.string("rounding"), f[1]);
            same(e.getKey(), -1, "overflow", s.string("overflow"), f[2]);
            same(e.getKey(), -1, "minWidth", s.integer("minWidth"), Integer.parseInt(f[3]));
            same(e.getKey(), -1, "maxWidth", s.integer("maxWidth"), Integer.parseInt(f[4]));
            if (f.length > 5 || s.has("placements")) {
                same(
                        e.getKey(),
                        -1,
                        "placements",
                        s.has("placements") ? java.util.Arrays.toString(s.intArray("placements")) : "(absent)",
                        f.length > 5 ? f[5] : "(absent)");
            }
        }
        for (String extra : byName.keySet()) {
            findings.problem(
                    CheckReport.Kind.EXTRA, extra, -1, "the certificate names a quantizer the model does not have");
        }
    }

    private void same(String layer, int c, String field, Object stated, Object actual) {
        if (!stated.equals(actual)) {
            findings.problem(CheckReport.Kind.WRONG, layer, c, field + " = " + stated + ", recomputed " + actual);
        }
    }

    /** {@link #same(String, int, String, Object, Object)} for numbers, without boxing; the same message. */
    private void same(String layer, int c, String field, long stated, long actual) {
        if (stated != actual) {
            findings.problem(CheckReport.Kind.WRONG, layer, c, field + " = " + stated + ", recomputed " + actual);
        }
    }

    private void sameArray(String layer, String field, long[] stated, long[] actual) {
        if (stated.length != actual.length) {
            findings.problem(
                    CheckReport.Kind.WRONG,
                    layer,
                    -1,
                    field + " has " + stated.length + " entries, recomputed " + actual.length);
            return;
        }
        int j = java.util.Arrays.mismatch(stated, actual);
        if (j >= 0) {
            findings.problem(
                    CheckReport.Kind.WRONG,
                    layer,
                    -1,
                    field + "[" + j + "] = " + stated[j] + ", recomputed " + actual[j]);
        }
    }

    private void sameArray(String layer, String field, JsonArray stated, long[] actual) {
        if (stated.size() != actual.length) {
            findings.problem(
                    CheckReport.Kind.WRONG,
                    layer,
                    -1,
                    field + " has " + stated.size() + " entries, recomputed " + actual.length);
            return;
        }
        for (int j = 0; j < actual.length; j++) {
            long v;
            try {
                v = Json.exactLong(stated.get(j));
            } catch (RuntimeException e) {
                findings.problem(CheckReport.Kind.MALFORMED, layer, -1, field + "[" + j + "] is not an integer");
                return;
            }
            if (v != actual[j]) {
                findings.problem(
                        CheckReport.Kind.WRONG, layer, -1, field + "[" + j + "] = " + v + ", recomputed " + actual[j]);
                return;
            }
        }
    }
}
