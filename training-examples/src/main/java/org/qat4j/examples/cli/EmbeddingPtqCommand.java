package org.qat4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.qat4j.datasets.words.DebianWordLists;
import org.qat4j.examples.langid.RowwiseExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat ptq-embedding} (deprecated in its help for {@code qat ptq METHOD --recipe langid}, which runs one method
 * into a run directory like every other {@code qat ptq}): row-wise 4-bit embedding tables (arXiv 1911.02079) on a character n-gram
 * language-identification network trained on the Debian word lists; every variant exported, certified,
 * checked and compared bit for bit. Exit 0 when every variant verifies, 1 when one does not, 2 for bad
 * options, 3 when the word lists are missing, 4 when {@code --out} exists (nothing is touched).
 */
@Command(
        name = "ptq-embedding",
        mixinStandardHelpOptions = true,
        description =
                "Deprecated: use qat ptq rows8|rows4|rows4-minmax|codebook|rows2 --recipe langid (one method per run). "
                        + "Runs all row-wise 8/4/2-bit and codebook embedding tables (arXiv 1911.02079) on a language-id network trained on "
                        + "/usr/share/dict word lists (apt-get install -y wamerican wfrench wngerman wspanish witalian).")
public final class EmbeddingPtqCommand implements Callable<Integer> {

    @Option(
            names = "--train-words",
            defaultValue = "20000",
            description = "Training words per language (default ${DEFAULT-VALUE}).")
    int trainWords;

    @Option(
            names = "--test-words",
            defaultValue = "2000",
            description = "Test words per language (default ${DEFAULT-VALUE}).")
    int testWords;

    @Option(
            names = "--buckets",
            defaultValue = "4096",
            description = "Embedding rows (hash buckets) (default ${DEFAULT-VALUE}).")
    int buckets;

    @Option(names = "--dim", defaultValue = "32", description = "Embedding dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--epochs", defaultValue = "3", description = "Float training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--dict",
            defaultValue = "/usr/share/dict",
            description = "Directory of the word lists (default ${DEFAULT-VALUE}).")
    Path dict;

    @Option(
            names = "--out",
            defaultValue = "runs/ptq-embedding",
            description = "New run directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        for (Object[] o : new Object[][] {
            {"--train-words", trainWords},
            {"--test-words", testWords},
            {"--buckets", buckets},
            {"--dim", dim},
            {"--epochs", epochs}
        }) {
            if ((Integer) o[1] < 1) {
                System.err.println("qat ptq-embedding: " + o[0] + " must be >= 1, got " + o[1]);
                return ExitCode.USAGE;
            }
        }
        List<String> missing = DebianWordLists.missingPackages(dict);
        if (!missing.isEmpty()) {
            System.err.println("qat ptq-embedding: --dict " + dict
                    + " lacks word lists; install them with: apt-get install -y " + String.join(" ", missing));
            return ExitCode.INPUT;
        }
        if (Files.exists(out)) {
            System.err.println(
                    "qat ptq-embedding: --out " + out + " already exists; choose a new directory (it was not touched)");
            return ExitCode.RUN_REFUSED;
        }
        RowwiseExperiment.Outcome o =
                new RowwiseExperiment(trainWords, testWords, buckets, dim, 48, epochs, seed).run(dict, out, System.out);
        System.out.print(o.table());
        System.out.println("written: " + out.resolve("results.md"));
        return o.allVerified() ? ExitCode.OK : ExitCode.FAILED;
    }
}
