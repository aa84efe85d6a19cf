package org.qat4j.runtime.exec;

import java.util.Random;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TensorKind;
import org.qat4j.runtime.model.TestVectors;

/**
 * The bit-exact self-check of a model file, without the training framework: (1) the recorded test
 * vectors (outputs of the source model's float forward at export time) must be reproduced bit for
 * bit; (2) on {@code samples} random and adversarial inputs the batched and the one-sample-at-a-time
 * runs must agree bit for bit and no accumulator may overflow.
 */
public final class SelfCheck {
    private SelfCheck() {}

    /**
     * Outcome.
     *
     * @param vectorsChecked recorded vectors compared
     * @param vectorMismatches recorded output elements that differ
     * @param samplesChecked generated samples compared batch vs single
     * @param sampleMismatches generated output elements that differ
     * @param firstMismatch description of the first mismatch, or null
     */
    public record Result(
            int vectorsChecked,
            long vectorMismatches,
            int samplesChecked,
            long sampleMismatches,
            String firstMismatch) {
        /** Whether every comparison agreed. */
        public boolean passed() {
            return vectorMismatches == 0 && sampleMismatches == 0 && firstMismatch == null;
        }
    }

    /** Runs the self-check with at most {@code maxVectors} recorded vectors (all when negative). */
    public static Result run(IntegerModel model, int maxVectors, int samples, long seed) {
        IntegerRuntime rt = IntegerRuntime.compile(model);
        int in = rt.inputSize();
        int out = rt.outputSize();
        boolean isFloat = model.tensor(model.outputName()).kind() == TensorKind.FLOAT;
        String first = null;
        long vm = 0;
        int vc = 0;
        TestVectors tv = model.testVectors();
        if (tv != null) {
            vc = maxVectors < 0 ? tv.count() : Math.min(maxVectors, tv.count());
            if (vc > 0) {
                float[] x = java.util.Arrays.copyOf(tv.inputs(), vc * in);
                long[] got = bits(rt, x, vc, isFloat);
                long[] want = isFloat ? floatBits(tv.floatOutputs()) : tv.intOutputs();
                for (int t = 0; t < vc * out; t++) {
                    if (got[t] != want[t]) {
                        vm++;
                        if (first == null) {
                            first = "recorded vector " + (t / out) + ", output element " + (t % out) + ": runtime "
                                    + show(got[t], isFloat) + ", recorded (" + tv.source() + ") "
                                    + show(want[t], isFloat);
                        }
                    }
                }
            }
        }
        long sm = 0;
        if (samples > 0) {
            InputGenerators g = InputGenerators.of(model);
            Random rnd = new Random(seed);
            float[] x = new float[samples * in];
            float[] r = g.random(rnd, (samples + 1) / 2);
            float[] a = g.adversarial(rnd, samples / 2);
            System.arraycopy(r, 0, x, 0, r.length);
            System.arraycopy(a, 0, x, r.length, a.length);
            try {
                long[] batch = bits(rt, x, samples, isFloat);
                for (int b = 0; b < samples; b++) {
                    long[] one = bits(rt, java.util.Arrays.copyOfRange(x, b * in, (b + 1) * in), 1, isFloat);
                    for (int e = 0; e < out; e++) {
                        if (one[e] != batch[b * out + e]) {
                            sm++;
                            if (first == null) {
                                first = "generated sample " + b + ", output element " + e + ": batched "
                                        + show(batch[b * out + e], isFloat) + ", single " + show(one[e], isFloat);
                            }
                        }
                    }
                }
            } catch (AccumulatorOverflowException e) {
                sm++;
                first = first == null ? e.getMessage() : first;
            }
        }
        return new Result(vc, vm, Math.max(samples, 0), sm, first);
    }

    private static long[] bits(IntegerRuntime rt, float[] x, int batch, boolean isFloat) {
        return isFloat ? floatBits(rt.runFloat(x, batch)) : rt.runInt(x, batch);
    }

    private static long[] floatBits(float[] f) {
        long[] out = new long[f.length];
        for (int t = 0; t < f.length; t++) {
            out[t] = Float.floatToRawIntBits(f[t]);
        }
        return out;
    }

    private static String show(long v, boolean isFloat) {
        if (!isFloat) {
            return Long.toString(v);
        }
        float f = Float.intBitsToFloat((int) v);
        return f + " (bits 0x" + Integer.toHexString((int) v) + ")";
    }
}
