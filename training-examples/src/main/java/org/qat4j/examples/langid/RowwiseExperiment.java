package org.qat4j.examples.langid;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.datasets.words.CharNgramHasher;
import org.qat4j.datasets.words.DebianWordLists;
import org.qat4j.ptq.rows.RowwiseQuantizer;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.prove.CertificateProver;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.ModelWriter;

/**
 * The row-wise embedding experiment ({@code qat ptq-embedding}): trains the float {@link LanguageIdNet} on
 * the Debian word lists, then quantizes its table with 8-bit min/max rows, 4-bit min/max rows, 4-bit
 * greedy-search rows and 4-bit codebook rows (arXiv 1911.02079); each ends as an integer model and a
 * certificate on disk, checked by the independent checker from the files, and compared bit for bit with
 * the DJL FLOAT64 twin on every test word. Writes the run directory atomically.
 *
 * @param perLanguageTrain training words per language
 * @param perLanguageTest test words per language
 * @param buckets embedding rows
 * @param dim embedding dimension
 * @param positions n-gram slots per word
 * @param epochs float training epochs
 * @param seed seed of sampling, initialization and k-means
 */
public record RowwiseExperiment(int perLanguageTrain, int perLanguageTest, int buckets, int dim, int positions, int epochs, long seed) {

    /** One quantized variant's result. */
    public record Row(String label, RowwiseQuantizer.Method method, int bits, long tableBytes, double tableMse, double accuracy,
            boolean certificateHolds, boolean checkerHolds, int mismatches, int compared) {}

    /** The float model's result and the variants'. */
    public record Outcome(double floatAccuracy, long floatBytes, List<Row> rows) {
        /** Whether every variant is certified, checked and bit-exact. */
        public boolean allVerified() {
            return rows.stream().allMatch(r -> r.certificateHolds() && r.checkerHolds() && r.mismatches() == 0);
        }

        /** Markdown table. */
        public String table() {
            StringBuilder b = new StringBuilder(
                    "| rows | table bytes | % of float32 | table MSE | test accuracy | Δ vs float32 | certificate | checker | bit-exact |\n");
            b.append("|---|---|---|---|---|---|---|---|---|\n");
            b.append(String.format("| float32 | %d | 100.00%% | 0 | %.4f | — | — | — | — |%n", floatBytes, floatAccuracy));
            for (Row r : rows) {
                b.append(String.format("| %s | %d | %.2f%% | %.3g | %.4f | %+.4f | %s | %s | %d/%d differ |%n", r.label(), r.tableBytes(),
                        100.0 * r.tableBytes() / floatBytes, r.tableMse(), r.accuracy(), r.accuracy() - floatAccuracy, r.certificateHolds() ? "holds" : "FAILS",
                        r.checkerHolds() ? "holds" : "REJECTS", r.mismatches(), r.compared()));
            }
            return b.toString();
        }
    }

    /** Runs everything into the new directory {@code out}. */
    public Outcome run(Path dict, Path out, PrintStream console) throws IOException {
        DebianWordLists lists = DebianWordLists.read(dict);
        List<DebianWordLists.Word> train = lists.sample(false, perLanguageTrain, seed);
        List<DebianWordLists.Word> test = lists.sample(true, perLanguageTest, seed + 1);
        console.printf("language-id: %d training words, %d test words, %d buckets × %d, %d positions%n", train.size(), test.size(), buckets,
                dim, positions);
        CharNgramHasher hasher = new CharNgramHasher(buckets, 1, 4, positions);
        Object[] result = new Object[1];
        AtomicFiles.writeDirectory(out, dir -> {
            try (LanguageIdNet net = LanguageIdNet.train(train, hasher, dim, epochs, seed, console)) {
                double floatAcc = net.accuracy(test);
                console.printf("float32: test accuracy %.4f%n", floatAcc);
                List<DebianWordLists.Word> calibration = train.subList(0, Math.min(1024, train.size()));
                List<Row> rows = new ArrayList<>();
                Object[][] variants = {{"8-bit min/max", RowwiseQuantizer.Method.MINMAX, 8}, {"4-bit min/max", RowwiseQuantizer.Method.MINMAX, 4},
                    {"4-bit greedy", RowwiseQuantizer.Method.GREEDY, 4}, {"4-bit codebook", RowwiseQuantizer.Method.CODEBOOK, 4},
                    {"2-bit min/max", RowwiseQuantizer.Method.MINMAX, 2}, {"2-bit greedy", RowwiseQuantizer.Method.GREEDY, 2}};
                for (Object[] v : variants) {
                    RowwiseQuantizer.Method method = (RowwiseQuantizer.Method) v[1];
                    int bits = (Integer) v[2];
                    String label = (String) v[0];
                    RowwiseLanguageId q = RowwiseLanguageId.quantize(net, method, bits, calibration, seed);
                    Path sub = dir.resolve(method.name().toLowerCase(java.util.Locale.ROOT) + bits);
                    Files.createDirectories(sub);
                    OverflowCertificate cert = CertificateProver.prove(q.model());
                    ModelWriter.write(q.model(), sub.resolve("model.json"));
                    CertificateWriter.write(cert, sub.resolve("certificate.json"));
                    CheckReport check = CertificateChecker.check(sub.resolve("model.json"), sub.resolve("certificate.json"));
                    int bad = q.mismatches(test, net);
                    double acc = q.accuracy(test, net);
                    Row row = new Row(label, method, bits, RowwiseQuantizer.storageBytes(buckets, dim, bits, method), q.tableMse(net), acc,
                            cert.holds(),
                            check.holds(), bad, test.size() * DebianWordLists.LANGUAGES.size());
                    console.printf("%s: accuracy %.4f, certificate %s, checker %s, %d logits differ from the DJL twin%n", label, acc,
                            cert.holds() ? "holds" : "FAILS", check.holds() ? "holds" : "rejects " + check.problems(), bad);
                    rows.add(row);
                }
                Outcome o = new Outcome(floatAcc, 4L * buckets * dim, rows);
                AtomicFiles.writeString(dir.resolve("results.md"), o.table());
                AtomicFiles.writeString(dir.resolve("results.json"), json(o));
                result[0] = o;
            }
        });
        return (Outcome) result[0];
    }

    private String json(Outcome o) {
        JsonObject root = new JsonObject();
        root.addProperty("experiment", "row-wise embedding quantization, language id on Debian word lists");
        root.addProperty("perLanguageTrain", perLanguageTrain);
        root.addProperty("perLanguageTest", perLanguageTest);
        root.addProperty("buckets", buckets);
        root.addProperty("dim", dim);
        root.addProperty("positions", positions);
        root.addProperty("epochs", epochs);
        root.addProperty("seed", seed);
        root.addProperty("floatAccuracy", o.floatAccuracy());
        root.addProperty("floatTableBytes", o.floatBytes());
        JsonArray a = new JsonArray();
        for (Row r : o.rows()) {
            JsonObject j = new JsonObject();
            j.addProperty("rows", r.label());
            j.addProperty("tableBytes", r.tableBytes());
            j.addProperty("tableMse", r.tableMse());
            j.addProperty("accuracy", r.accuracy());
            j.addProperty("certificateHolds", r.certificateHolds());
            j.addProperty("checkerHolds", r.checkerHolds());
            j.addProperty("bitExactMismatches", r.mismatches());
            j.addProperty("compared", r.compared());
            a.add(j);
        }
        root.add("variants", a);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }
}
