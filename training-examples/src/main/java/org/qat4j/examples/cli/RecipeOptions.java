package org.qat4j.examples.cli;

import java.nio.file.Path;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.RecipeDefaults;
import org.qat4j.examples.recipe.RecipeSettings;
import picocli.CommandLine.Option;

/** The training options of {@code qat train}; unset options take the recipe's defaults. */
final class RecipeOptions {

    @Option(names = "--epochs", description = "Epochs to train (default: the recipe's).")
    Integer epochs;

    @Option(names = "--train-limit", description = "Use only the first N training samples (default: the recipe's; 0 = all).")
    Long trainLimit;

    @Option(names = "--batch-size", description = "Samples per optimizer step (default: the recipe's).")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "Adam's learning rate (default: the recipe's).")
    Float learningRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialization and data order (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--variant", description = "A2Q recipes: a2q, a2q+ or unconstrained (the warm-up; default a2q+).")
    String variant;

    @Option(names = "--acc-bits", description = "A2Q recipes: accumulator width P of the constrained layers (default 16).")
    Integer accBits;

    @Option(names = "--beta", description = "HGQ recipes: final EBOPs weight of the β schedule.")
    Double beta;

    @Option(names = "--uniform-bits", paramLabel = "B", description = "HGQ recipes: train the uniform B-bit "
            + "fixed-point baseline instead (every weight and activation B bits, bits not trained, beta 0).")
    Integer uniformBits;

    @Option(names = "--init-from", paramLabel = "RUN_DIR", description = "A2Q recipes: start from the latest "
            + "checkpoint of a finished run of the same network (e.g. a --variant unconstrained warm-up).")
    Path initFrom;

    @Option(names = "--data", description = "hgq-jets: the hls4ml_lhc_jets_hlf CSV or ARFF file.")
    Path data;

    @Option(names = "--data-dir", description = "Image recipes: directory with the IDX files "
            + "(default: /usr/share/datasets/fashion-mnist, then the download cache).")
    Path dataDir;

    /** The recipe's defaults overridden by the options given. */
    RecipeSettings resolve(Recipe recipe) {
        RecipeDefaults d = recipe.defaults();
        return new RecipeSettings(recipe.name(), epochs == null ? d.epochs() : epochs,
                batchSize == null ? d.batchSize() : batchSize, learningRate == null ? d.learningRate() : learningRate,
                trainLimit == null ? d.trainLimit() : trainLimit, seed, variant, accBits, beta,
                data == null ? null : data.toAbsolutePath().toString(),
                dataDir == null ? null : dataDir.toAbsolutePath().toString(), uniformBits,
                initFrom == null ? null : initFrom.toAbsolutePath().toString());
    }
}
