package org.qat4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.RecipeDefaults;
import org.qat4j.examples.recipe.RecipeSettings;
import picocli.CommandLine.Option;

/** The training options of {@code qat train}; unset options take the recipe's defaults. */
final class RecipeOptions {

    @Option(names = "--epochs", description = "Epochs to train (default: the recipe's).")
    Integer epochs;

    @Option(
            names = "--train-limit",
            description = "Use only the first N training samples (default: the recipe's; 0 = all).")
    Long trainLimit;

    @Option(names = "--batch-size", description = "Samples per optimizer step (default: the recipe's).")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "Adam's learning rate (default: the recipe's).")
    Float learningRate;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of initialization and data order (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--variant", description = "A2Q recipes: a2q, a2q+ or unconstrained (the warm-up; default a2q+).")
    String variant;

    @Option(
            names = "--acc-bits",
            description = "A2Q recipes: accumulator width P of the constrained layers (default 16).")
    Integer accBits;

    @Option(names = "--beta", description = "HGQ recipes: final EBOPs weight of the β schedule.")
    Double beta;

    @Option(
            names = "--uniform-bits",
            paramLabel = "B",
            description = "HGQ recipes: train the uniform B-bit "
                    + "fixed-point baseline instead (every weight and activation B bits, bits not trained, beta 0).")
    Integer uniformBits;

    @Option(
            names = "--uniform-act-bits",
            paramLabel = "A",
            description = "HGQ recipes, with --uniform-bits B: activations and the input at A bits instead of B "
                    + "(weights and biases stay B bits), e.g. --uniform-bits 4 --uniform-act-bits 8 for W4A8.")
    Integer uniformActBits;

    @Option(
            names = "--init-from",
            paramLabel = "RUN_DIR",
            description = "Start from a finished qat ptq run of the recipe's float twin (A2Q and HGQ recipes), or "
                    + "(A2Q recipes) from the latest checkpoint of a finished run of the same network (e.g. a "
                    + "--variant unconstrained warm-up).")
    Path initFrom;

    @Option(names = "--data", description = "hgq-jets: the hls4ml_lhc_jets_hlf CSV or ARFF file.")
    Path data;

    @Option(
            names = "--data-dir",
            description = "Image recipes: directory with the IDX files "
                    + "(default: /usr/share/datasets/fashion-mnist, then the download cache).")
    Path dataDir;

    /**
     * The recipe's defaults overridden by the options given; a bad value fails naming the option as typed.
     *
     * @throws UserError {@link ExitCode#USAGE} for a value out of range, {@link ExitCode#INPUT} for a
     *     missing file or directory
     */
    RecipeSettings resolve(Recipe recipe) {
        if (epochs != null && epochs < 1) {
            throw UserError.usage("--epochs must be >= 1, got " + epochs);
        }
        if (batchSize != null && batchSize < 1) {
            throw UserError.usage("--batch-size must be >= 1, got " + batchSize);
        }
        if (learningRate != null && !(learningRate > 0 && Float.isFinite(learningRate))) {
            throw UserError.usage("--learning-rate must be finite and > 0, got " + learningRate);
        }
        if (trainLimit != null && trainLimit < 0) {
            throw UserError.usage("--train-limit must be >= 0 (0 = all), got " + trainLimit);
        }
        if (data != null && !Files.isRegularFile(data)) {
            throw UserError.input(
                    "--data " + data + ": " + (Files.exists(data) ? "not a regular file" : "no such file"), null);
        }
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw UserError.input(
                    "--data-dir " + dataDir + ": " + (Files.exists(dataDir) ? "not a directory" : "no such directory"),
                    null);
        }
        if (initFrom != null && !Files.isDirectory(initFrom)) {
            throw UserError.input(
                    "--init-from " + initFrom + ": "
                            + (Files.exists(initFrom) ? "not a directory" : "no such directory")
                            + "; give the run directory of a finished warm-up run",
                    null);
        }
        RecipeDefaults d = recipe.defaults();
        return new RecipeSettings(
                recipe.name(),
                epochs == null ? d.epochs() : epochs,
                batchSize == null ? d.batchSize() : batchSize,
                learningRate == null ? d.learningRate() : learningRate,
                trainLimit == null ? d.trainLimit() : trainLimit,
                seed,
                variant,
                accBits,
                beta,
                data == null ? null : data.toAbsolutePath().toString(),
                dataDir == null ? null : dataDir.toAbsolutePath().toString(),
                uniformBits,
                uniformActBits,
                initFrom == null ? null : initFrom.toAbsolutePath().toString());
    }
}
