package org.qat4j.runtime.cert;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.qat4j.runtime.io.AtomicFiles;

/** Writes {@code certificate.json} (format in {@code docs/format.md}), atomically. */
public final class CertificateWriter {
    private CertificateWriter() {}

    /** The certificate's JSON text. */
    public static String toJson(OverflowCertificate c) {
        JsonObject root = new JsonObject();
        root.addProperty("format", OverflowCertificate.FORMAT);
        root.addProperty("certificateVersion", OverflowCertificate.VERSION);
        root.addProperty("verdict", c.holds() ? "holds" : "fails");
        root.addProperty("prover", c.proverVersion());
        JsonObject p = new JsonObject();
        p.addProperty("method", c.modelProvenance().method());
        p.addProperty("recipe", c.modelProvenance().recipe());
        p.addProperty("seed", c.modelProvenance().seed());
        p.addProperty("libraryVersion", c.modelProvenance().libraryVersion());
        JsonObject s = new JsonObject();
        for (Map.Entry<String, String> e : c.modelProvenance().settings().entrySet()) {
            s.addProperty(e.getKey(), e.getValue());
        }
        p.add("settings", s);
        root.add("modelProvenance", p);
        JsonArray layers = new JsonArray();
        for (LayerCertificate l : c.layers()) {
            JsonObject o = new JsonObject();
            o.addProperty("layer", l.layer());
            o.addProperty("op", l.op());
            o.addProperty("method", l.method());
            o.addProperty("accumulatorBits", l.accumulatorBits());
            o.addProperty("minimalBits", l.minimalBits());
            o.addProperty("verdict", l.holds() ? "holds" : "fails");
            if (l.a2qLimit() >= 0) {
                o.addProperty("a2qLimit", l.a2qLimit());
            }
            o.addProperty("inputGranularity", l.inputGranularity());
            o.add("inputMin", longs(l.inputMin()));
            o.add("inputMax", longs(l.inputMax()));
            JsonArray chans = new JsonArray();
            for (ChannelCertificate ch : l.channels()) {
                JsonObject q = new JsonObject();
                q.addProperty("channel", ch.channel());
                if (ch.weightSha256() != null) {
                    q.addProperty("weightSha256", ch.weightSha256());
                }
                q.addProperty("negativeSum", ch.negativeSum());
                q.addProperty("positiveSum", ch.positiveSum());
                q.addProperty("bitsNeeded", ch.bitsNeeded());
                q.addProperty("signedBitsNeeded", ch.signedBitsNeeded());
                if (ch.l1Norm() >= 0) {
                    q.addProperty("l1Norm", ch.l1Norm());
                }
                if (ch.positiveWeightSum() >= 0) {
                    q.addProperty("positiveWeightSum", ch.positiveWeightSum());
                    q.addProperty("negativeWeightSum", ch.negativeWeightSum());
                }
                q.addProperty("holds", ch.holds());
                chans.add(q);
            }
            o.add("channels", chans);
            layers.add(o);
        }
        root.add("layers", layers);
        JsonArray qs = new JsonArray();
        for (QuantizerCertificate q : c.quantizers()) {
            JsonObject o = new JsonObject();
            o.addProperty("layer", q.layer());
            o.addProperty("op", q.op());
            o.addProperty("rounding", q.rounding());
            o.addProperty("overflow", q.overflow());
            o.addProperty("minWidth", q.minWidth());
            o.addProperty("maxWidth", q.maxWidth());
            if (q.placements() != null) {
                JsonArray pl = new JsonArray();
                for (int x : q.placements()) {
                    pl.add(x);
                }
                o.add("placements", pl);
            }
            qs.add(o);
        }
        root.add("quantizers", qs);
        return new GsonBuilder()
                        .setPrettyPrinting()
                        .disableHtmlEscaping()
                        .create()
                        .toJson(root) + "\n";
    }

    private static JsonArray longs(long[] v) {
        JsonArray a = new JsonArray();
        for (long x : v) {
            a.add(x);
        }
        return a;
    }

    /** Writes the certificate atomically. */
    public static void write(OverflowCertificate c, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(c));
    }
}
