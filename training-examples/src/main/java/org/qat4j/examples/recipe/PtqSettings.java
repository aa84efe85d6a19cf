package org.qat4j.examples.recipe;

/**
 * What a {@code qat ptq} run was made with, stored in its run directory as {@code ptq.json}.
 *
 * @param method the PTQ method's command-line name
 * @param recipe the recipe of the float run
 * @param floatRun the float run directory (absolute)
 * @param weightBits M
 * @param actBits A (the model input keeps 8 bits)
 * @param accBits P (AXE) or null
 * @param calibrationSamples the first n training samples used for calibration
 * @param iterations AdaRound/BRECQ iterations per block
 * @param seed seed of reconstruction batches and generated test inputs
 * @param firstLastBits weight bits of the first and last layers, or null when they have {@code weightBits}
 */
public record PtqSettings(
        String method,
        String recipe,
        String floatRun,
        int weightBits,
        int actBits,
        Integer accBits,
        int calibrationSamples,
        int iterations,
        long seed,
        Integer firstLastBits) {

    /** M of the first and last layers. */
    public int firstLastWeightBits() {
        return firstLastBits == null ? weightBits : firstLastBits;
    }
}
