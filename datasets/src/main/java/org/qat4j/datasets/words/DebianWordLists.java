package org.qat4j.datasets.words;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.qat4j.datasets.DataFileException;

/**
 * A language-identification dataset from the word lists Debian ships in {@code /usr/share/dict}
 * (packages {@code wamerican}, {@code wfrench}, {@code wngerman}, {@code wspanish}, {@code witalian}):
 * one sample per word, labelled with its language. Words are lower-cased; words with an apostrophe,
 * and words that occur in more than one list (their label is ambiguous), are dropped. The split is a
 * property of the word, not of the seed: a word is a test word iff {@code (hash(word) mod 10) == 0}
 * ({@link String#hashCode}), so no word is ever in both sets. {@link #sample} draws a seeded,
 * class-balanced subset.
 */
public final class DebianWordLists {
    /** One language: label index, list file name, Debian package. */
    public record Language(String code, String file, String debianPackage) {}

    /** The five languages, in label order. */
    public static final List<Language> LANGUAGES = List.of(
            new Language("en", "american-english", "wamerican"),
            new Language("fr", "french", "wfrench"),
            new Language("de", "ngerman", "wngerman"),
            new Language("es", "spanish", "wspanish"),
            new Language("it", "italian", "witalian"));

    /** Default directory of the lists. */
    public static final Path DICT = Path.of("/usr/share/dict");

    /** A labelled word. */
    public record Word(String text, int label) {}

    private final List<List<String>> train;
    private final List<List<String>> test;

    private DebianWordLists(List<List<String>> train, List<List<String>> test) {
        this.train = train;
        this.test = test;
    }

    /** Which of the lists' packages are not installed (files missing under {@code dir}). */
    public static List<String> missingPackages(Path dir) {
        List<String> missing = new ArrayList<>();
        for (Language l : LANGUAGES) {
            if (!Files.isRegularFile(dir.resolve(l.file()))) {
                missing.add(l.debianPackage());
            }
        }
        return missing;
    }

    /** Reads all five lists from {@code dir}; a missing list names the package to install. */
    public static DebianWordLists read(Path dir) throws IOException {
        List<String> missing = missingPackages(dir);
        if (!missing.isEmpty()) {
            throw DataFileException.ofFile(
                    dir,
                    "word lists missing; install them with: apt-get install -y " + String.join(" ", missing),
                    null);
        }
        Map<String, Integer> owner = new HashMap<>();
        for (int k = 0; k < LANGUAGES.size(); k++) {
            for (String line : Files.readAllLines(dir.resolve(LANGUAGES.get(k).file()), StandardCharsets.UTF_8)) {
                String w = line.strip().toLowerCase(Locale.ROOT);
                if (w.isEmpty() || w.indexOf('\'') >= 0) {
                    continue;
                }
                Integer prev = owner.putIfAbsent(w, k);
                if (prev != null && prev != k) {
                    owner.put(w, -1);
                }
            }
        }
        List<List<String>> train = new ArrayList<>();
        List<List<String>> test = new ArrayList<>();
        for (int k = 0; k < LANGUAGES.size(); k++) {
            train.add(new ArrayList<>());
            test.add(new ArrayList<>());
        }
        List<String> words = new ArrayList<>(owner.keySet());
        Collections.sort(words);
        for (String w : words) {
            int k = owner.get(w);
            if (k >= 0) {
                (Math.floorMod(w.hashCode(), 10) == 0 ? test : train).get(k).add(w);
            }
        }
        return new DebianWordLists(train, test);
    }

    /** Words of one split per language (sorted). */
    public List<String> words(boolean testSplit, int label) {
        return Collections.unmodifiableList((testSplit ? test : train).get(label));
    }

    /** {@code perLanguage} words of each language from a split, seeded, shuffled together. */
    public List<Word> sample(boolean testSplit, int perLanguage, long seed) {
        Random rnd = new Random(seed);
        List<Word> out = new ArrayList<>();
        for (int k = 0; k < LANGUAGES.size(); k++) {
            List<String> pool = new ArrayList<>((testSplit ? test : train).get(k));
            Collections.shuffle(pool, rnd);
            for (int i = 0; i < Math.min(perLanguage, pool.size()); i++) {
                out.add(new Word(pool.get(i), k));
            }
        }
        Collections.shuffle(out, rnd);
        return out;
    }
}
