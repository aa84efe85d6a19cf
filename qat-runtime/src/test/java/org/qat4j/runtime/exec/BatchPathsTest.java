package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TensorKind;

/**
 * The batch paths (sample by sample below 16, lane blocks of up to 256 samples with a remainder
 * block) give every sample exactly what a run of that sample alone gives, bit for bit, at every batch
 * size around the path boundaries.
 */
class BatchPathsTest {

    @Test
    void everyBatchSizeEqualsSampleBySampleRuns() {
        Random rnd = new Random(7);
        int checked = 0;
        for (IntegerModel m : IntegerRuntimeTest.models()) {
            IntegerRuntime rt = IntegerRuntime.compile(m);
            int in = rt.inputSize();
            int out = rt.outputSize();
            boolean isFloat = m.tensor(m.outputName()).kind() == TensorKind.FLOAT;
            for (int batch : new int[] {1, 3, 15, 16, 17, 255, 256, 257, 600}) {
                float[] x = IntegerRuntimeTest.randomInput(rnd, batch * in, batch % 2 == 0 ? 0.5f : 4f);
                long[] whole = bits(rt, x, batch, isFloat);
                for (int b = 0; b < batch; b++) {
                    long[] one = bits(rt, Arrays.copyOfRange(x, b * in, (b + 1) * in), 1, isFloat);
                    for (int e = 0; e < out; e++) {
                        assertEquals(
                                one[e],
                                whole[b * out + e],
                                m.provenance().method() + " batch " + batch + " sample " + b + " element " + e);
                        checked++;
                    }
                }
            }
        }
        assertEquals(true, checked > 10_000, "checked " + checked);
    }

    private static long[] bits(IntegerRuntime rt, float[] x, int batch, boolean isFloat) {
        if (!isFloat) {
            return rt.runInt(x, batch);
        }
        float[] y = rt.runFloat(x, batch);
        long[] b = new long[y.length];
        for (int t = 0; t < y.length; t++) {
            b[t] = Float.floatToRawIntBits(y[t]);
        }
        return b;
    }
}
