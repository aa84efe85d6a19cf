package org.qat4j.ptq.kernel;

import java.util.Map;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.SparqOp;

/**
 * How SPARQ (arXiv 2105.11010) served the activation pairs of an integer model on some inputs, counted on the
 * integer runtime's own tensors (the {@code sparq} ops' inputs): pairs {@code (2c, 2c+1)} along axis 0 with both
 * values zero, exactly one zero (vSPARQ serves the other at 8 bits), or none (both through 4-bit windows), and how
 * many non-zero values a window changed.
 *
 * @param pairs pairs counted (over every sparq op, position and input)
 * @param bothZero pairs of two zeros
 * @param oneZero pairs with exactly one zero
 * @param trimmedValues non-zero values of pairs without a zero (served by a 4-bit window)
 * @param changedValues of those, values the window changed
 */
public record SparqPairCount(long pairs, long bothZero, long oneZero, long trimmedValues, long changedValues) {

    /** Fraction of pairs with exactly one zero: their non-zero value keeps 8 bits under vSPARQ. */
    public double servedAt8Bits() {
        return pairs == 0 ? 0 : (double) oneZero / pairs;
    }

    /** Fraction of pairs with at least one zero (no window needed). */
    public double withAZero() {
        return pairs == 0 ? 0 : (double) (oneZero + bothZero) / pairs;
    }

    /** Counts over {@code count} inputs (row-major, the model's input size each), in batches of 256. */
    public static SparqPairCount of(IntegerModel model, float[] inputs, int count) {
        IntegerRuntime rt = IntegerRuntime.compile(model);
        long pairs = 0;
        long both = 0;
        long one = 0;
        long trimmed = 0;
        long changed = 0;
        int size = rt.inputSize();
        for (int from = 0; from < count; from += 256) {
            int batch = Math.min(256, count - from);
            float[] x = new float[batch * size];
            System.arraycopy(inputs, from * size, x, 0, x.length);
            Map<String, Object> trace = rt.trace(x, batch);
            for (ModelOp op : model.ops()) {
                if (!(op instanceof SparqOp s)) {
                    continue;
                }
                long[] in = (long[]) trace.get(s.input());
                long[] outv = (long[]) trace.get(s.name());
                int[] shape = model.tensor(s.input()).shape();
                int numel = in.length / batch;
                int per = numel / shape[0];
                for (int b = 0; b < batch; b++) {
                    for (int c = 0; c + 1 < shape[0]; c += 2) {
                        for (int i = 0; i < per; i++) {
                            int e = b * numel + c * per + i;
                            long u = in[e];
                            long v = in[e + per];
                            pairs++;
                            if (u == 0 && v == 0) {
                                both++;
                            } else if (u == 0 || v == 0) {
                                one++;
                            } else {
                                trimmed += 2;
                                changed += (outv[e] != u ? 1 : 0) + (outv[e + per] != v ? 1 : 0);
                            }
                        }
                    }
                }
            }
        }
        return new SparqPairCount(pairs, both, one, trimmed, changed);
    }
}
