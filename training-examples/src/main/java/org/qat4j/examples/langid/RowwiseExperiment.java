package org.qat4j.examples.langid;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.core.export.BitExactCheck;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.core.export.VerifiedExport;
import org.qat4j.datasets.words.CharNgramHasher;
import org.qat4j.datasets.words.DebianWordLists;
import org.qat4j.ptq.rows.RowwiseQuantizer;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * The row-wise embedding experiment ({@code qat ptq-embedding}): trains the float {@link LanguageIdNet} on
 * the Debian word lists, then quantizes its table with 8-bit min/max rows, 4-bit min/max rows, 4-bit
 * greedy-search rows and 4-bit codebook rows (arXiv 1911.02079); each goes through {@code ExportPipeline}:
 * integer model and certificate on disk, the independent checker on the files, and the DJL FLOAT64 twin
 * compared bit for bit on every test word and generated inputs. Writes the run directory atomically.
 *
 * @param perLanguageTrain training words per language
 * @param perLanguageTest test words per language
 * @param buckets embedding rows
 * @param dim embedding dimension
 * @param positions n-gram slots per word
 * @param epochs float training epochs
 * @param seed seed of sampling, initialization and k-means
 */
public record RowwiseExperiment(
        int perLanguageTrain, int perLanguageTest, int buckets, int dim, int positions, int epochs, long seed) {

    /** One quantized variant's result. */
    public record Row(
            String label,
            RowwiseQuantizer.Method method,
            int bits,
            long tableBytes,
            double tableMse,
            double accuracy,
            boolean certificateHolds,
            boolean checkerHolds,
            int mismatches,
            int compared) {}

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
            b.append(String.format(
                    "| float32 | %d | 100.00%% | 0 | %.4f | — | — | — | — |%n", floatBytes, floatAccuracy));
            for (Row r : rows) {
                b.append(String.format(
                        "| %s | %d | %.2f%% | %.3g | %.4f | %+.4f | %s | %s | %d/%d differ |%n",
                        r.label(),
                        r.tableBytes(),
                        100.0 * r.tableBytes() / floatBytes,
                        r.tableMse(),
                        r.accuracy(),
                        r.accuracy() - floatAccuracy,
                        r.certificateHolds() ? "holds" : "FAILS",
                        r.checkerHolds() ? "holds" : "REJECTS",
                        r.mismatches(),
                        r.compared()));
            }
            return b.toString();
        }
    }

    /** Runs everything into the new directory {@code out}. */
    public Outcome run(Path dict, Path out, PrintStream console) throws IOException {
        DebianWordLists lists = DebianWordLists.read(dict);
        List<DebianWordLists.Word> train = lists.sample(false, perLanguageTrain, seed);
        List<DebianWordLists.Word> test = lists.sample(true, perLanguageTest, seed + 1);
        console.printf(
                "language-id: %d training words, %d test words, %d buckets × %d, %d positions%n",
                train.size(), test.size(), buckets, dim, positions);
        CharNgramHasher hasher = new CharNgramHasher(buckets, 1, 4, positions);
        Object[] result = new Object[1];
        AtomicFiles.writeDirectory(out, dir -> {
            try (LanguageIdNet net = LanguageIdNet.train(train, hasher, dim, epochs, seed, console)) {
                double floatAcc = net.accuracy(test);
                console.printf("float32: test accuracy %.4f%n", floatAcc);
                List<DebianWordLists.Word> calibration = train.subList(0, Math.min(1024, train.size()));
                List<Row> rows = new ArrayList<>();
                Object[][] variants = {
                    {"8-bit min/max", RowwiseQuantizer.Method.MINMAX, 8},
                    {"4-bit min/max", RowwiseQuantizer.Method.MINMAX, 4},
                    {"4-bit greedy", RowwiseQuantizer.Method.GREEDY, 4},
                    {"4-bit codebook", RowwiseQuantizer.Method.CODEBOOK, 4},
                    {"2-bit min/max", RowwiseQuantizer.Method.MINMAX, 2},
                    {"2-bit greedy", RowwiseQuantizer.Method.GREEDY, 2}
                };
                for (Object[] v : variants) {
                    RowwiseQuantizer.Method method = (RowwiseQuantizer.Method) v[1];
                    int bits = (Integer) v[2];
                    Path sub = dir.resolve(method.name().toLowerCase(java.util.Locale.ROOT) + bits);
                    Files.createDirectories(sub);
                    rows.add(variant(
                            net,
                            (String) v[0],
                            method,
                            bits,
                            calibration,
                            test,
                            sub.resolve("model.json"),
                            sub.resolve("certificate.json"),
                            console));
                }
                Outcome o = new Outcome(floatAcc, 4L * buckets * dim, rows);
                AtomicFiles.writeString(dir.resolve("results.md"), o.table());
                AtomicFiles.writeString(dir.resolve("results.json"), json(o));
                result[0] = o;
            }
        });
        return (Outcome) result[0];
    }

    /**
     * {@code qat ptq METHOD --recipe langid}: trains the float network and quantizes it with one method into the new
     * run directory {@code out} ({@code integer-model.json}, {@code certificate.json}, {@code metrics.json}), atomically.
     */
    public Row runMethod(Path dict, EmbeddingMethod m, Path out, PrintStream console) throws IOException {
        DebianWordLists lists = DebianWordLists.read(dict);
        List<DebianWordLists.Word> train = lists.sample(false, perLanguageTrain, seed);
        List<DebianWordLists.Word> test = lists.sample(true, perLanguageTest, seed + 1);
        console.printf(
                "qat ptq %s (language id): %d training words, %d test words, %d buckets × %d, %d positions%n",
                m.cliName(), train.size(), test.size(), buckets, dim, positions);
        Row[] result = new Row[1];
        long start = System.nanoTime();
        AtomicFiles.writeDirectory(out, dir -> {
            try (LanguageIdNet net = LanguageIdNet.train(
                    train, new CharNgramHasher(buckets, 1, 4, positions), dim, epochs, seed, console)) {
                double floatAcc = net.accuracy(test);
                console.printf("float32: test accuracy %.4f%n", floatAcc);
                Row r = variant(
                        net,
                        m.label(),
                        m.method(),
                        m.bits(),
                        train.subList(0, Math.min(1024, train.size())),
                        test,
                        dir.resolve("integer-model.json"),
                        dir.resolve("certificate.json"),
                        console);
                org.qat4j.examples.run.RunMetrics metrics = new org.qat4j.examples.run.RunMetrics(
                                EmbeddingMethod.RECIPE)
                        .setSeed(seed)
                        .setEpochs(epochs)
                        .setFloatTestAccuracy(floatAcc)
                        .setIntegerTestAccuracy(r.accuracy())
                        .setBitExact(r.compared() / DebianWordLists.LANGUAGES.size(), r.mismatches())
                        .setCertificateValid(r.certificateHolds() && r.checkerHolds())
                        .setWallSeconds((System.nanoTime() - start) / 1e9);
                metrics.putExtra(
                        "embedding",
                        java.util.Map.of(
                                "method",
                                m.cliName(),
                                "rows",
                                m.label(),
                                "tableBytes",
                                r.tableBytes(),
                                "floatTableBytes",
                                4L * buckets * dim,
                                "tableMse",
                                r.tableMse(),
                                "logitsCompared",
                                r.compared()));
                metrics.write(dir.resolve("metrics.json"));
                result[0] = r;
            }
        });
        return result[0];
    }

    /**
     * One variant through the library's export chain ({@code ExportPipeline}): the quantized network's DJL block
     * ({@link RowwiseLanguageId#twin}) and its integer model, written, proved, checked from the files by the
     * independent checker, and compared bit for bit on every test word plus 1,000 random and 1,000 adversarial inputs.
     */
    public Row variant(
            LanguageIdNet net,
            String label,
            RowwiseQuantizer.Method method,
            int bits,
            List<DebianWordLists.Word> calibration,
            List<DebianWordLists.Word> test,
            Path modelFile,
            Path certificateFile,
            PrintStream console)
            throws IOException {
        RowwiseLanguageId q = RowwiseLanguageId.quantize(net, method, bits, calibration, seed);
        VerifiedExport<BitExactReport> v;
        try (NDManager scope = net.manager().newSubManager()) {
            v = ExportPipeline.builder()
                    .optFiles(modelFile, certificateFile)
                    .build()
                    .run(
                            q.twin(),
                            q.model(),
                            scope,
                            BitExactCheck.inputsAndGenerated(
                                    "test words", RowwiseLanguageId.inputs(test, net), 1000, 1000, seed));
        }
        double acc = q.accuracy(test, net);
        BitExactReport bx = v.bitExact();
        console.printf(
                "%s: accuracy %.4f, certificate %s, checker %s, %d of %d logits differ from the DJL twin (%s)%n",
                label,
                acc,
                v.certificate().holds() ? "holds" : "FAILS",
                v.check().holds() ? "holds" : "rejects " + v.check().problems(),
                bx.mismatches(),
                bx.elements(),
                bx.forwardType());
        return new Row(
                label,
                method,
                bits,
                RowwiseQuantizer.storageBytes(buckets, dim, bits, method),
                q.tableMse(net),
                acc,
                v.certificate().holds(),
                v.check().holds(),
                (int) bx.mismatches(),
                (int) bx.elements());
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
