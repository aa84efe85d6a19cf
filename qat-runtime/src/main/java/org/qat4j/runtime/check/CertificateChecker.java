package org.qat4j.runtime.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Json;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;

/**
 * The independent checker of overflow certificates. It reads only the model and the certificate,
 * recomputes every fact with its own exact integer code (overflow-checked {@code long}, BigInteger
 * for the A2Q limits; it shares no code with the prover in {@code org.qat4j.runtime.prove}, which
 * {@code ArchitectureRulesTest} enforces), and reports every
 * certificate that is wrong (a stated fact differs), stale (a weight hash differs), incomplete (a
 * layer, channel or quantizer is missing), or whose facts break a bound: a partial-sum interval
 * outside the declared signed P-bit register, an A2Q channel with {@code ‖q‖₁ > T}, an A2Q+ channel
 * with {@code Q+ > T+/2} or {@code Q− > T+/2} (arXiv 2308.13504, 2401.10432).
 *
 * <p>The work is split by purpose: {@code CertificateReader} (the certificate's bulk streamed into
 * arrays, everything else and every malformed text read as a JSON tree), {@code GraphIntervals}
 * (interval arithmetic over the graph),
 * {@code DotProductBounds} (the per-channel worst case, A2Q bounds and weight hashes in one linear,
 * allocation-free pass per layer), {@code CertificateComparison} (stated versus recomputed).
 *
 * <p>Worst case of one dot product, any accumulation order: each term {@code w·x} with
 * {@code x ∈ [lo, hi]} ranges over {@code [min(w·lo, w·hi), max(w·lo, w·hi)]}; every partial sum lies in
 * {@code [Σ min(0, ·), Σ max(0, ·)]} over all terms and the bias.
 */
public final class CertificateChecker {
    /** Default cap on the certificate file size: 64 MiB. */
    public static final long MAX_CERTIFICATE_BYTES = 64L << 20;

    private CertificateChecker() {}

    /** Checks the certificate file against the model file. A model that cannot be read throws. */
    public static CheckReport check(Path modelFile, Path certificateFile) throws IOException {
        IntegerModel m = ModelReader.read(modelFile);
        String text;
        try {
            text = ModelReader.readCapped(certificateFile, MAX_CERTIFICATE_BYTES, "certificate");
        } catch (ModelFormatException e) {
            return malformed(e.getMessage());
        }
        return check(m, text);
    }

    /** Checks certificate text against a model. */
    public static CheckReport check(IntegerModel model, String certificateJson) {
        StatedCertificate stated;
        try {
            stated = CertificateReader.read(certificateJson);
        } catch (ModelFormatException e) {
            return malformed(e.getMessage());
        }
        return check(model, stated);
    }

    /** Checks a certificate already read (the streamed and the tree reading of one text check the same). */
    static CheckReport check(IntegerModel model, StatedCertificate stated) {
        CheckFindings findings = new CheckFindings();
        try {
            run(model, stated, findings);
        } catch (ModelFormatException e) {
            findings.problem(CheckReport.Kind.MALFORMED, null, -1, e.getMessage());
        }
        return findings.report();
    }

    /** Checks an in-memory certificate (serialized first, so exactly what a file would hold is checked). */
    public static CheckReport check(IntegerModel model, OverflowCertificate certificate) {
        return check(model, CertificateWriter.toJson(certificate));
    }

    private static CheckReport malformed(String message) {
        return new CheckReport(
                List.of(new CheckReport.Problem(CheckReport.Kind.MALFORMED, null, -1, message)), List.of(), 0);
    }

    private static void run(IntegerModel model, StatedCertificate stated, CheckFindings findings) {
        Json root = stated.root();
        String format = root.string("format");
        if (!OverflowCertificate.FORMAT.equals(format)) {
            throw new ModelFormatException(
                    "$.format = '" + format + "', expected '" + OverflowCertificate.FORMAT + "'");
        }
        int version = root.integer("certificateVersion");
        if (version != OverflowCertificate.VERSION) {
            throw new ModelFormatException("$.certificateVersion = " + version
                    + ": unknown version, this checker knows " + OverflowCertificate.VERSION);
        }
        Json prov = root.object("modelProvenance");
        if (!prov.string("method").equals(model.provenance().method())
                || prov.longValue("seed") != model.provenance().seed()
                || !prov.string("recipe").equals(model.provenance().recipe())) {
            findings.problem(
                    CheckReport.Kind.STALE,
                    null,
                    -1,
                    "the certificate's model provenance (" + prov.string("method") + ", seed "
                            + prov.longValue("seed") + ") differs from the model's ("
                            + model.provenance().method() + ", seed "
                            + model.provenance().seed() + ")");
        }
        GraphIntervals graph = new GraphIntervals(model, findings);
        graph.run();
        CertificateComparison compare = new CertificateComparison(findings);
        compare.layers(graph.layers(), stated.layers());
        compare.quantizers(graph.quantizers(), root.objects("quantizers"));
        boolean allHold = !findings.anyFails();
        String verdict = root.string("verdict");
        if (!verdict.equals(allHold ? "holds" : "fails")) {
            findings.problem(
                    CheckReport.Kind.WRONG,
                    null,
                    -1,
                    "$.verdict = '" + verdict + "', recomputed '" + (allHold ? "holds" : "fails") + "'");
        }
    }
}
