package org.qat4j.examples.recipe;

import java.nio.file.Path;

/**
 * The resolved settings of one run: the recipe's defaults overridden by the command line, plus the
 * recipe-specific options (null when not given). Stored in the run directory as {@code run.json} so
 * that {@code qat export} and {@code --resume} rebuild exactly the same model.
 *
 * @param recipe recipe name
 * @param epochs epochs to train
 * @param batchSize samples per step
 * @param learningRate Adam's learning rate
 * @param trainLimit training samples used (0: all)
 * @param seed seed of initialization, data order and stochastic parts
 * @param variant A2Q recipes: {@code a2q} or {@code a2q+}
 * @param accumulatorBits A2Q recipes: the accumulator width P of the constrained layers
 * @param beta HGQ recipes: the final EBOPs weight β of the schedule
 * @param dataFile recipes on tabular data: the CSV/ARFF file
 * @param dataDirectory image recipes: a directory holding the IDX files (else the system locations)
 * @param uniformBits HGQ recipes: train a uniform fixed-point baseline with every weight and activation at this
 *        many bits (bits not trained, β = 0) instead of HGQ's trained bits
 * @param uniformActivationBits HGQ recipes, with {@code uniformBits}: the activations' (and the input's) width
 *        of the uniform baseline when it differs from the weights' (null: the same as {@code uniformBits})
 * @param initFrom A2Q recipes: run directory of a finished warm-up run whose parameters start this one
 */
public record RecipeSettings(
        String recipe,
        int epochs,
        int batchSize,
        float learningRate,
        long trainLimit,
        long seed,
        String variant,
        Integer accumulatorBits,
        Double beta,
        String dataFile,
        String dataDirectory,
        Integer uniformBits,
        Integer uniformActivationBits,
        String initFrom) {

    /** Validates the generic fields. */
    public RecipeSettings {
        new RecipeDefaults(epochs, batchSize, learningRate, trainLimit);
        if (recipe == null || recipe.isBlank()) {
            throw new IllegalArgumentException("recipe must not be blank");
        }
    }

    /** The data file as a path, or null. */
    public Path dataFilePath() {
        return dataFile == null ? null : Path.of(dataFile);
    }

    /** The settings of a run that trains without {@code --uniform-bits} and {@code --init-from}. */
    public RecipeSettings(
            String recipe,
            int epochs,
            int batchSize,
            float learningRate,
            long trainLimit,
            long seed,
            String variant,
            Integer accumulatorBits,
            Double beta,
            String dataFile,
            String dataDirectory) {
        this(
                recipe,
                epochs,
                batchSize,
                learningRate,
                trainLimit,
                seed,
                variant,
                accumulatorBits,
                beta,
                dataFile,
                dataDirectory,
                null,
                null,
                null);
    }

    /** The warm-up run directory as a path, or null. */
    public Path initFromPath() {
        return initFrom == null ? null : Path.of(initFrom);
    }

    /** The data directory as a path, or null. */
    public Path dataDirectoryPath() {
        return dataDirectory == null ? null : Path.of(dataDirectory);
    }

    /** Fails if an option that {@code recipe} does not read was given. */
    void refuse(String option, Object value) {
        if (value != null) {
            throw new IllegalArgumentException(
                    "recipe " + recipe + " does not take " + option + " (got " + value + ")");
        }
    }
}
