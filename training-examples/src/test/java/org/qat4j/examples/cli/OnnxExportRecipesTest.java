package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.Recipes;
import org.qat4j.onnx.OnnxVerifier;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;

/**
 * Every example recipe's model, trained briefly on small generated data (IDX images shaped like
 * Fashion-MNIST, a CSV shaped like the jets set), exported with {@code qat export-onnx} and run in
 * ONNX Runtime at NO_OPT and ALL_OPT: bit for bit equal to the integer runtime on the model's recorded
 * test vectors, 10,000 random and 2,000 adversarial inputs.
 */
class OnnxExportRecipesTest {

    @TempDir
    static Path dir;

    static Path idx;
    static Path csv;

    @BeforeAll
    static void writeData() throws Exception {
        idx = Files.createDirectories(dir.resolve("idx"));
        writeSplit(idx, "train", 256, 1);
        writeSplit(idx, "t10k", 50, 7);
        csv = dir.resolve("jets.csv");
        StringBuilder text = new StringBuilder();
        for (int f = 0; f < 16; f++) {
            text.append("f").append(f).append(',');
        }
        text.append("class\n");
        SplittableRandom random = new SplittableRandom(3);
        String[] classes = {"g", "q", "t", "w", "z"};
        for (int row = 0; row < 600; row++) {
            int c = row % 5;
            for (int f = 0; f < 16; f++) {
                double shift = f % 5 == c ? 2.0 : 0.0;
                text.append(String.format(Locale.ROOT, "%.5f", 10 * (random.nextGaussian() + shift) + f))
                        .append(',');
            }
            text.append(classes[c]).append('\n');
        }
        Files.writeString(csv, text);
    }

    @Test
    void theTestCoversEveryRecipe() {
        List<String> names = new ArrayList<>();
        for (Recipe r : Recipes.all()) {
            names.add(r.name());
        }
        assertEquals(
                List.of("hgq-fashion-mlp", "hgq-fashion-cnn", "a2q-fashion-cnn", "hgq-jets"),
                names,
                "a new recipe needs its ONNX case in this test");
    }

    private static final java.util.Map<String, Path> RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The run directory of a one-epoch run of {@code recipe} on the generated data, trained once per test class. */
    static synchronized Path trained(String recipe) {
        return RUNS.computeIfAbsent(recipe, r -> {
            Path run = dir.resolve(r);
            String data = r.equals("hgq-jets") ? "--data" : "--data-dir";
            String path = r.equals("hgq-jets") ? csv.toString() : idx.toString();
            CliCapture train = CliCapture.run(
                    "train", r, data, path, "--epochs", "1", "--batch-size", "64", "--out", run.toString());
            assertEquals(0, train.code(), train.out() + train.err());
            return run;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"hgq-fashion-mlp", "hgq-fashion-cnn", "a2q-fashion-cnn", "hgq-jets"})
    void recipeModelRunsBitExactInOnnxRuntime(String recipe) throws Exception {
        Path run = trained(recipe);
        Path model = run.resolve("integer-model.json");
        Path onnx = run.resolve("model.onnx");
        CliCapture export = CliCapture.run("export-onnx", "--model", model.toString(), "--out", onnx.toString());
        assertEquals(0, export.code(), export.out() + export.err());
        assertTrue(export.out().startsWith("ONNX graph form: "), export.out());
        if (recipe.startsWith("a2q")) {
            assertTrue(export.out().startsWith("ONNX graph form: qcdq ("), export.out()); // W4A4 operands fit 8 bits
        }
        IntegerModel m = ModelReader.read(model);
        assertTrue(m.testVectors() != null && m.testVectors().count() > 0);
        List<OnnxVerifier.Comparison> cs = OnnxVerifier.verify(m, Files.readAllBytes(onnx), 10_000, 2_000, 17);
        StringBuilder report = new StringBuilder(export.out());
        long bad = 0;
        for (OnnxVerifier.Comparison c : cs) {
            report.append(c.line()).append('\n');
            bad += c.mismatches();
        }
        assertEquals(6, cs.size(), report.toString());
        assertEquals(0, bad, report.toString());
        System.out.println(recipe + "\n" + report);
    }

    @Test
    void verifyCommandComparesAnExportAndReportsProblemsWithExitCodes() throws Exception {
        Path run = trained("hgq-jets");
        String model = run.resolve("integer-model.json").toString();
        String onnx = run.resolve("exact.onnx").toString();
        assertEquals(
                0,
                CliCapture.run("export-onnx", "--model", model, "--out", onnx, "--form", "exact-fixed-point")
                        .code());
        CliCapture ok = CliCapture.run("verify", "--onnx", onnx, "--model", model, "--samples", "300");
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("form: exact-fixed-point"), ok.out());
        assertTrue(ok.out().matches("(?s).*ALL_OPT +adversarial +300 samples +0 mismatching elements.*"), ok.out());
        assertTrue(ok.out().contains("ONNX Runtime matches the integer runtime bit for bit"), ok.out());
        CliCapture both = CliCapture.run(
                "verify",
                "--onnx",
                onnx,
                "--model",
                model,
                "--certificate",
                run.resolve("certificate.json").toString(),
                "--samples",
                "100");
        assertEquals(0, both.code(), both.out() + both.err());
        assertTrue(both.out().contains("VERIFIED") && both.out().contains("bit for bit"), both.out());

        // the graph of a model whose first layer's weights differ is caught
        IntegerModel m = ModelReader.read(Path.of(model));
        org.qat4j.runtime.model.DenseOp d = (org.qat4j.runtime.model.DenseOp) m.ops().stream()
                .filter(op -> op instanceof org.qat4j.runtime.model.DenseOp)
                .findFirst()
                .orElseThrow();
        int[] w = d.weights();
        for (int t = 0; t < w.length; t++) {
            w[t] += 3;
        }
        Path changed = dir.resolve("changed.json");
        org.qat4j.runtime.model.ModelWriter.write(
                org.qat4j.runtime.model.AccumulatorWidths.replace(
                        m,
                        d.name(),
                        new org.qat4j.runtime.model.DenseOp(
                                d.name(), d.input(), d.inFeatures(), d.outFeatures(), w, d.bias(), 64, null)),
                changed);
        CliCapture wrong = CliCapture.run("verify", "--onnx", onnx, "--model", changed.toString(), "--samples", "100");
        assertEquals(1, wrong.code(), wrong.out() + wrong.err());
        assertTrue(wrong.out().contains("ONNX Runtime DIFFERS"), wrong.out());
        assertTrue(wrong.out().strip().endsWith("NOT VERIFIED"), wrong.out());
        CliCapture garbage = CliCapture.run("verify", "--onnx", model, "--model", model);
        assertEquals(3, garbage.code());
        assertTrue(garbage.err().startsWith("qat verify: --onnx " + model + ": not an ONNX model"), garbage.err());
        CliCapture none = CliCapture.run("verify", "--model", model);
        assertEquals(2, none.code());
        assertEquals(
                "qat verify: --certificate FILE is required (or --onnx FILE to check an ONNX export)",
                none.err().lines().findFirst().orElse(""));
    }

    @Test
    void exportOnnxRefusesBadOptionsAndUnqualifiedFormsWithoutWriting() throws Exception {
        Path out = dir.resolve("refused.onnx");
        CliCapture missing = CliCapture.run(
                "export-onnx", "--model", dir.resolve("nope.json").toString(), "--out", out.toString());
        assertEquals(3, missing.code());
        assertEquals(
                "qat export-onnx: --model " + dir.resolve("nope.json") + ": no such file",
                missing.err().strip());
        CliCapture form = CliCapture.run("export-onnx", "--model", "m.json", "--out", out.toString(), "--form", "int4");
        assertEquals(2, form.code());
        assertEquals(
                "qat export-onnx: --form int4: unknown form; known: auto, qcdq, exact-fixed-point",
                form.err().strip());
        Path model = trained("hgq-fashion-cnn").resolve("integer-model.json");
        CliCapture refused =
                CliCapture.run("export-onnx", "--model", model.toString(), "--out", out.toString(), "--form", "qcdq");
        assertEquals(5, refused.code(), refused.out() + refused.err());
        assertTrue(
                refused.err().startsWith("qat export-onnx: --model " + model + ": QCDQ form refused: layer '"),
                refused.err());
        assertFalse(Files.exists(out));
    }

    /** Writes a tiny IDX image/label pair shaped like Fashion-MNIST (28×28 bytes, 10 classes). */
    static void writeSplit(Path dir, String prefix, int n, int salt) throws Exception {
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784)
                .putInt(0x00000803)
                .putInt(n)
                .putInt(28)
                .putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x00000801).putInt(n);
        for (int s = 0; s < n; s++) {
            int c = (s * 7 + salt) % 10;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int v = (p * 31 + s * 17 + salt) % 60 + (row >= 2 * c && row < 2 * c + 6 ? 180 : 0);
                images.put((byte) Math.min(255, v));
            }
            labels.put((byte) c);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
