package org.qat4j.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Json;
import org.qat4j.runtime.model.ModelReader;

/**
 * The register widths an overflow certificate proves, taken only after the independent
 * {@link CertificateChecker} has recomputed every fact of the certificate from the model and found no
 * problem: per accumulating op (dense, conv, add, avgpool) and channel, the smallest signed width
 * {@code P} with {@code [Σ negative, Σ positive] ⊆ [−2^(P−1), 2^(P−1) − 1]} (every partial sum in any
 * order; arXiv 2308.13504 §3). The prover is never consulted here.
 */
public final class CertifiedWidths {
    private final Map<String, int[]> channelBits;

    private CertifiedWidths(Map<String, int[]> channelBits) {
        this.channelBits = channelBits;
    }

    /**
     * Checks {@code certificateJson} against {@code model} and returns its widths.
     *
     * @param certificateName the certificate's file name as the user gave it, for messages
     * @throws ExportException if the checker reports any problem (the first three are named)
     */
    public static CertifiedWidths check(IntegerModel model, String certificateJson, String certificateName) {
        CheckReport report = CertificateChecker.check(model, certificateJson);
        if (!report.holds()) {
            StringBuilder b = new StringBuilder(certificateName + ": the certificate does not hold for this model ("
                    + report.problems().size() + " problems)");
            report.problems().stream().limit(3).forEach(p -> b.append("\n  ").append(p));
            throw new ExportException(b.toString());
        }
        Json root = Json.root(ModelReader.parse(certificateJson, "certificate"), certificateName);
        Map<String, int[]> bits = new LinkedHashMap<>();
        for (Json layer : root.objects("layers")) {
            Json[] channels = layer.objects("channels");
            int[] need = new int[channels.length];
            for (Json c : channels) {
                need[c.integer("channel")] = c.integer("signedBitsNeeded");
            }
            bits.put(layer.string("layer"), need);
        }
        return new CertifiedWidths(Collections.unmodifiableMap(bits));
    }

    /** Per channel (adders: element) of accumulating op {@code layer}: the proven signed width. */
    public int[] channelBits(String layer) {
        int[] b = channelBits.get(layer);
        if (b == null) {
            throw new ExportException("the certificate has no layer '" + layer + "'");
        }
        return b.clone();
    }

    /** The widest channel of {@code layer}: the width one register for every channel needs. */
    public int layerBits(String layer) {
        int max = 1;
        for (int b : channelBits(layer)) {
            max = Math.max(max, b);
        }
        return max;
    }

    /** The accumulating ops, in model order. */
    public java.util.Set<String> layers() {
        return channelBits.keySet();
    }
}
