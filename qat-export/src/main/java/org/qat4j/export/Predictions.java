package org.qat4j.export;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.qat4j.runtime.exec.InputGenerators;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TensorKind;
import org.qat4j.runtime.model.TestVectors;

/**
 * The Java runtime's outputs as {@code qat predict} prints them ({@link PredictionFormat}), the
 * inputs differential tests feed to every implementation, and the first line where two outputs differ.
 */
public final class Predictions {
    private static final int BATCH = 256;

    private Predictions() {}

    /** Runs {@code inputs} (sample-major) through the Java runtime and formats one line per sample. */
    public static byte[] predict(IntegerModel model, float[] inputs) {
        IntegerRuntime rt = IntegerRuntime.compile(model);
        int in = rt.inputSize();
        int out = rt.outputSize();
        int samples = inputs.length / in;
        boolean floats = model.tensor(model.outputName()).kind() == TensorKind.FLOAT;
        StringBuilder b = new StringBuilder(samples * out * 10);
        for (int s0 = 0; s0 < samples; s0 += BATCH) {
            int n = Math.min(BATCH, samples - s0);
            float[] x = java.util.Arrays.copyOfRange(inputs, s0 * in, (s0 + n) * in);
            if (floats) {
                float[] y = rt.runFloat(x, n);
                for (int s = 0; s < n; s++) {
                    b.append(PredictionFormat.line(y, s * out, out)).append('\n');
                }
            } else {
                long[] y = rt.runInt(x, n);
                for (int s = 0; s < n; s++) {
                    b.append(PredictionFormat.line(y, s * out, out)).append('\n');
                }
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Input text of {@code inputs}: one sample per line. */
    public static byte[] inputText(float[] inputs, int inputSize) {
        StringBuilder b = new StringBuilder(inputs.length * 12);
        for (int s = 0; s < inputs.length / inputSize; s++) {
            b.append(PredictionFormat.inputLine(inputs, s * inputSize, inputSize))
                    .append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The inputs of a differential test: the model's recorded test vectors, then {@code random} random and
     * {@code adversarial} adversarial samples (extremes and exact rounding ties of the input quantizer and
     * their float32 neighbours, {@link InputGenerators}).
     */
    public static float[] testInputs(IntegerModel model, int random, int adversarial, long seed) {
        return testInputs(model, Integer.MAX_VALUE, random, adversarial, seed);
    }

    /**
     * {@link #testInputs(IntegerModel, int, int, long)} with at most the first {@code recorded} recorded
     * test vectors (for designs whose simulation costs seconds per sample).
     */
    public static float[] testInputs(IntegerModel model, int recorded, int random, int adversarial, long seed) {
        InputGenerators g = InputGenerators.of(model);
        Random rnd = new Random(seed);
        float[] r = g.random(rnd, random);
        float[] a = g.adversarial(rnd, adversarial);
        TestVectors tv = model.testVectors();
        float[] v = tv == null ? new float[0] : tv.inputs();
        int n = model.tensor(model.inputName()).numel();
        if (v.length / n > recorded) {
            v = java.util.Arrays.copyOf(v, recorded * n);
        }
        float[] all = new float[v.length + r.length + a.length];
        System.arraycopy(v, 0, all, 0, v.length);
        System.arraycopy(r, 0, all, v.length, r.length);
        System.arraycopy(a, 0, all, v.length + r.length, a.length);
        return all;
    }

    /** Null when equal, else the first differing line of both (1-based line number). */
    public static String firstDifference(byte[] expected, byte[] actual, String expectedName, String actualName) {
        String[] e = new String(expected, StandardCharsets.UTF_8).split("\n", -1);
        String[] a = new String(actual, StandardCharsets.UTF_8).split("\n", -1);
        for (int n = 0; n < Math.max(e.length, a.length); n++) {
            String x = n < e.length ? e[n] : "<end>";
            String y = n < a.length ? a[n] : "<end>";
            if (!x.equals(y)) {
                return "line " + (n + 1) + ": " + expectedName + " '" + x + "', " + actualName + " '" + y + "'";
            }
        }
        return java.util.Arrays.equals(expected, actual) ? null : "same lines, different bytes";
    }

    /** The number of lines that differ (a line missing on one side counts as differing). */
    public static int differingLines(byte[] expected, byte[] actual) {
        String[] e = new String(expected, StandardCharsets.UTF_8).split("\n", -1);
        String[] a = new String(actual, StandardCharsets.UTF_8).split("\n", -1);
        int n = 0;
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            if (i >= e.length || i >= a.length || !e[i].equals(a[i])) {
                n++;
            }
        }
        return n;
    }
}
