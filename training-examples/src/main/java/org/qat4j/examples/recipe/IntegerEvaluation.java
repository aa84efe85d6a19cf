package org.qat4j.examples.recipe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.runtime.exec.IntegerRuntime;

/**
 * Runs the trained network (DJL, evaluation mode) and the exported integer model (pure-Java
 * {@link IntegerRuntime}) on the same test inputs and compares every output bit for bit
 * ({@link Float#floatToRawIntBits}); measures both models' accuracy in the same pass.
 *
 * @param inputs inputs compared
 * @param mismatches inputs whose outputs differ in any bit
 * @param floatAccuracy arg-max accuracy of the DJL network
 * @param integerAccuracy arg-max accuracy of the integer model
 * @param firstMismatch description of the first mismatch, or null
 */
public record IntegerEvaluation(long inputs, long mismatches, double floatAccuracy, double integerAccuracy,
        String firstMismatch) {

    /** Samples per comparison batch. */
    static final int BATCH = 500;

    /**
     * Evaluates every sample of {@code test}.
     *
     * @param trainer the trainer of the network (used for its evaluation forward)
     * @param runtime the compiled integer model
     * @param test the test set
     * @param sampleShape shape of one sample
     */
    public static IntegerEvaluation run(Trainer trainer, IntegerRuntime runtime, TensorDataset test, Shape sampleShape) {
        long size = test.size();
        int row = test.getRowLength();
        if (row != runtime.inputSize()) {
            throw new IllegalArgumentException("the integer model takes " + runtime.inputSize()
                    + " input values per sample, the test set has " + row);
        }
        int classes = runtime.outputSize();
        long mismatches = 0;
        long floatCorrect = 0;
        long integerCorrect = 0;
        String first = null;
        for (long start = 0; start < size; start += BATCH) {
            int n = (int) Math.min(BATCH, size - start);
            float[] x = new float[n * row];
            for (int s = 0; s < n; s++) {
                System.arraycopy(test.getFeatures(start + s), 0, x, s * row, row);
            }
            float[] expected;
            try (NDManager manager = trainer.getManager().newSubManager()) {
                long[] dims = new long[sampleShape.dimension() + 1];
                dims[0] = n;
                System.arraycopy(sampleShape.getShape(), 0, dims, 1, sampleShape.dimension());
                NDArray input = manager.create(x, new Shape(dims));
                NDList out = trainer.evaluate(new NDList(input));
                expected = out.singletonOrThrow().toFloatArray();
            }
            float[] actual = runtime.runFloat(x, n);
            if (expected.length != actual.length) {
                throw new IllegalStateException("the network gives " + expected.length / n
                        + " outputs per sample, the integer model " + actual.length / n);
            }
            for (int s = 0; s < n; s++) {
                int label = test.getLabel(start + s);
                boolean differs = false;
                for (int c = 0; c < classes; c++) {
                    int i = s * classes + c;
                    if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                        if (first == null) {
                            first = "sample " + (start + s) + " output " + c + ": network " + expected[i] + " (0x"
                                    + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), integer model "
                                    + actual[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i]))
                                    + ")";
                        }
                        differs = true;
                    }
                }
                if (differs) {
                    mismatches++;
                }
                floatCorrect += argMax(expected, s * classes, classes) == label ? 1 : 0;
                integerCorrect += argMax(actual, s * classes, classes) == label ? 1 : 0;
            }
        }
        return new IntegerEvaluation(size, mismatches, (double) floatCorrect / size, (double) integerCorrect / size,
                first);
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
}
