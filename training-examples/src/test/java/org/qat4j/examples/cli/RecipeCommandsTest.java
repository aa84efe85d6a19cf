package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.Recipes;

class RecipeCommandsTest {

    @Test
    void recipesListsEveryRecipeOnOneLineEach() {
        CliCapture c = CliCapture.run("recipes");
        assertEquals(0, c.code(), c.err());
        String[] lines = c.out().strip().split("\\R");
        assertEquals(Recipes.all().size(), lines.length, c.out());
        for (int i = 0; i < lines.length; i++) {
            Recipe r = Recipes.all().get(i);
            assertTrue(lines[i].startsWith(r.name() + " "), lines[i]);
            assertTrue(lines[i].contains("epochs " + r.defaults().epochs()), lines[i]);
        }
    }

    @Test
    void unknownRecipeIsRefusedWithTheKnownNames(@TempDir Path dir) {
        CliCapture c = CliCapture.run("train", "no-such-recipe", "--out", dir.toString());
        assertEquals(2, c.code());
        assertTrue(c.err().contains("unknown recipe 'no-such-recipe'"), c.err());
        for (Recipe r : Recipes.all()) {
            assertTrue(c.err().contains(r.name()), c.err());
        }
    }

    @Test
    void optionsARecipeDoesNotReadAreRefused(@TempDir Path dir) {
        CliCapture c = CliCapture.run("train", "a2q-fashion-cnn", "--beta", "1e-6", "--out", dir.toString());
        assertEquals(2, c.code());
        assertTrue(c.err().contains("recipe a2q-fashion-cnn does not take --beta (got 1.0E-6)"), c.err());
    }

    @Test
    void badA2qOptionsAreRefusedNamingTheOptionAndValue(@TempDir Path dir) {
        CliCapture variant = CliCapture.run("train", "a2q-fashion-cnn", "--variant", "a3q", "--out", dir.toString());
        assertEquals(2, variant.code());
        assertTrue(variant.err().contains("--variant must be a2q, a2q+ or unconstrained, got a3q"), variant.err());
        CliCapture p = CliCapture.run("train", "a2q-fashion-cnn", "--acc-bits", "40", "--out", dir.toString());
        assertEquals(2, p.code());
        assertTrue(p.err().contains("--acc-bits (P) must be in [2, 32], got 40"), p.err());
        CliCapture epochs = CliCapture.run("train", "a2q-fashion-cnn", "--epochs", "0", "--out", dir.toString());
        assertEquals(2, epochs.code());
        assertTrue(epochs.err().contains("--epochs must be >= 1, got 0"), epochs.err());
    }

    @Test
    void exportOfADirectoryThatIsNoRunIsRefused(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        CliCapture c = CliCapture.run("export", "--run", dir.toString());
        assertEquals(3, c.code());
        assertTrue(c.err().contains("run.json: not found: " + dir + " is not a run directory"), c.err());
    }

    @Test
    void benchRefusesUnknownNames() {
        CliCapture c = CliCapture.run("bench", "nope");
        assertEquals(2, c.code());
        assertTrue(
                c.err().contains("unknown benchmark 'nope'; known: train-hgq, train-a2q, runtime, c, checker, all"),
                c.err());
    }

    @Test
    void benchKeepsOnlyTheJsonLinesOfABenchmark() throws Exception {
        var lines = BenchCommand.run(FakeBenchmark.class.getName(), java.util.List.of("fake"));
        assertEquals(java.util.List.of(FakeBenchmark.LINE), lines);
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> BenchCommand.run(FakeBenchmark.class.getName(), java.util.List.of("fake", "other")));
        assertTrue(e.getMessage().contains("printed no {\"bench\": \"other\""), e.getMessage());
    }

    @Test
    void benchFailsClearlyWhenABenchmarkClassIsMissing() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                ClassNotFoundException.class,
                () -> BenchCommand.run("org.example.NoSuchBenchmark", java.util.List.of("x")));
        assertTrue(e.getMessage().contains("org.example.NoSuchBenchmark is not in this build"), e.getMessage());
    }

    /** Prints noise and one JSON line, as the real benchmarks do. */
    public static final class FakeBenchmark {
        static final String LINE =
                "{\"bench\":\"fake\",\"a\":2.0,\"b\":1.0,\"unit\":\"ms\",\"ratio\":2.0,\"threads\":1}";

        public static void main(String[] args) {
            System.out.println("warming up...");
            System.out.println("{\"bench\":\"unrelated\",\"a\":1}");
            System.out.println(LINE);
        }
    }
}
