package org.qat4j.examples.recipe;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.qat4j.core.export.BitExactCheck;
import org.qat4j.core.export.BitExactHarness;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.ExportPipeline;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;

/**
 * Runs the trained network (DJL, evaluation mode) and the exported integer model (pure-Java
 * {@link IntegerRuntime}) on the whole test set and compares every output bit for bit
 * ({@link Float#floatToRawIntBits}), measuring both models' accuracy in the same pass; then compares
 * generated inputs too (random, and adversarial: format extremes and rounding ties) with the
 * {@link BitExactHarness}, whose forward type the {@link ExportPipeline} chose.
 *
 * @param inputs inputs compared (test set plus generated)
 * @param mismatches inputs with an output whose bit pattern differs
 * @param floatAccuracy arg-max test accuracy of the DJL network
 * @param integerAccuracy arg-max test accuracy of the integer model
 * @param forwardType data type of the DJL forward
 * @param firstMismatch description of the first mismatch, or null
 */
public record IntegerEvaluation(
        long inputs,
        long mismatches,
        double floatAccuracy,
        double integerAccuracy,
        String forwardType,
        String firstMismatch) {

    /** Samples per batch. */
    static final int BATCH = 500;
    /** Random and adversarial inputs compared in addition to the test set (each). */
    static final int GENERATED = 2000;

    /**
     * This evaluation as the bit-exact step of an {@link ExportPipeline} (built with batch size
     * {@value #BATCH}): every sample of {@code test}, then {@value #GENERATED} random and
     * {@value #GENERATED} adversarial inputs.
     *
     * @param test the test set
     * @param seed seed of the generated inputs
     */
    public static BitExactCheck<IntegerEvaluation> check(TensorDataset test, long seed) {
        return (harness, manager) -> run(harness, harness.model(), test, manager, seed);
    }

    private static IntegerEvaluation run(
            BitExactHarness harness, IntegerModel model, TensorDataset test, NDManager manager, long seed) {
        IntegerRuntime runtime = IntegerRuntime.compile(model);
        int size = Math.toIntExact(test.size());
        int row = test.getRowLength();
        if (row != runtime.inputSize()) {
            throw new IllegalArgumentException("the integer model takes " + runtime.inputSize()
                    + " input values per sample, the test set has " + row);
        }
        DataType type = harness.forwardType();
        int classes = runtime.outputSize();
        long mismatches = 0;
        long floatCorrect = 0;
        long integerCorrect = 0;
        String first = null;
        for (int start = 0; start < size; start += BATCH) {
            int n = Math.min(BATCH, size - start);
            float[] x = new float[n * row];
            for (int s = 0; s < n; s++) {
                System.arraycopy(test.getFeatures(start + s), 0, x, s * row, row);
            }
            float[] expected = harness.djlForward(manager, x, n);
            float[] actual = runtime.runFloat(x, n);
            for (int s = 0; s < n; s++) {
                boolean differs = false;
                for (int i = s * classes; i < (s + 1) * classes; i++) {
                    if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                        differs = true;
                        if (first == null) {
                            first = "test sample " + (start + s) + " output " + (i - s * classes) + ": network "
                                    + expected[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i]))
                                    + "), integer model " + actual[i] + " (0x"
                                    + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")"
                                    + reevaluated(harness, runtime, manager, x, n, s, i);
                        }
                    }
                }
                mismatches += differs ? 1 : 0;
            }
            for (int s = 0; s < n; s++) {
                int label = test.getLabel(start + s);
                floatCorrect += argMax(expected, s * classes, classes) == label ? 1 : 0;
                integerCorrect += argMax(actual, s * classes, classes) == label ? 1 : 0;
            }
        }
        BitExactReport generated = harness.compareGenerated(manager, GENERATED, GENERATED, seed);
        // the harness counts differing output elements; an input counts once
        mismatches += Math.min(generated.mismatches(), generated.samples());
        if (first == null && generated.firstMismatch() != null) {
            first = generated.firstMismatch();
        }
        return new IntegerEvaluation(
                size + generated.samples(),
                mismatches,
                (double) floatCorrect / size,
                (double) integerCorrect / size,
                type.name(),
                first);
    }

    /**
     * Both sides computed again for the first mismatch: the same batch, and the sample alone in the runtime.
     * Both are deterministic, so a value that changes tells a transient fault from a wrong rule, and which
     * side had it.
     */
    private static String reevaluated(
            BitExactHarness harness,
            IntegerRuntime runtime,
            NDManager manager,
            float[] x,
            int n,
            int sample,
            int element) {
        int row = runtime.inputSize();
        float network = harness.djlForward(manager, x, n)[element];
        float batch = runtime.runFloat(x, n)[element];
        float alone = runtime.runFloat(java.util.Arrays.copyOfRange(x, sample * row, (sample + 1) * row), 1)[
                element - sample * runtime.outputSize()];
        return "; computed again: network " + network + ", integer model " + batch + " (batch) / " + alone
                + " (sample alone)";
    }

    /** The first {@code count} test inputs, sample-major (for the model file's recorded test vectors). */
    static float[] firstInputs(TensorDataset test, int count) {
        int row = test.getRowLength();
        float[] x = new float[count * row];
        for (int s = 0; s < count; s++) {
            System.arraycopy(test.getFeatures(s), 0, x, s * row, row);
        }
        return x;
    }

    /** Index of the largest value (the first on ties, as PyTorch's argmax on CPU). */
    static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "IntegerEvaluation" + Arrays.asList(inputs, mismatches, floatAccuracy, integerAccuracy, forwardType);
    }
}
