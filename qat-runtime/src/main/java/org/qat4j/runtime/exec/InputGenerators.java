package org.qat4j.runtime.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;

/**
 * Float32 inputs for bit-exactness checks of an integer model against the float graph it came
 * from: random inputs spread over the input quantizer's range, and adversarial inputs built from the
 * input quantizer itself — the extremes of every element's format (and beyond them, to exercise
 * saturation or wrapping) and the exact rounding ties {@code (m + ½)·step} with their float32
 * neighbours, where a wrong rounding rule or a float trap shows (HGQ arXiv 2405.00645 §2–3).
 */
public final class InputGenerators {
    private final int numel;
    private final float[][] candidates;
    private final float[] spread;

    private InputGenerators(int numel, float[][] candidates, float[] spread) {
        this.numel = numel;
        this.candidates = candidates;
        this.spread = spread;
    }

    /** Generators for {@code model}'s input, read from the op that quantizes it. */
    public static InputGenerators of(IntegerModel model) {
        int numel = model.tensor(model.inputName()).numel();
        float[][] cand = new float[numel][];
        float[] spread = new float[numel];
        ModelOp q = model.ops().stream()
                .filter(op -> op.inputs().contains(model.inputName()))
                .findFirst()
                .orElseThrow();
        if (q instanceof QuantizeFixedOp f) {
            FixedFormat[] fmts = f.formats().expand(model.inputShape(), "input");
            for (int e = 0; e < numel; e++) {
                FixedFormat fm = fmts[e];
                double step = Math.scalb(1.0, -fm.f());
                long hi = fm.maxMantissa();
                long lo = fm.minMantissa(f.overflow());
                cand[e] = candidates(lo, hi, step);
                spread[e] = (float) Math.max(step, (hi + 1) * step);
            }
        } else if (q instanceof QuantizeScaledOp s) {
            float[] c = candidatesScaled(s.min(), s.max(), s.scale());
            for (int e = 0; e < numel; e++) {
                cand[e] = c;
                spread[e] = s.scale() * (s.max() + 1);
            }
        } else {
            throw new IllegalArgumentException("the model input feeds a " + q.opType() + ", not an input quantizer");
        }
        return new InputGenerators(numel, cand, spread);
    }

    private static float[] candidates(long lo, long hi, double step) {
        List<Float> c = new ArrayList<>();
        long[] ms = {lo, lo + 1, -1, 0, 1, hi - 1, hi};
        for (long m : ms) {
            if (m < lo || m > hi) {
                continue;
            }
            addWithNeighbours(c, (float) (m * step));
            addWithNeighbours(c, (float) ((m + 0.5) * step)); // exact tie when representable
            addWithNeighbours(c, (float) ((m - 0.5) * step));
        }
        addWithNeighbours(c, (float) ((hi + 1) * step));
        addWithNeighbours(c, (float) ((lo - 1) * step));
        addWithNeighbours(c, (float) (2 * (hi + 1) * step + 0.5 * step));
        addWithNeighbours(c, (float) (2 * (lo - 1) * step - 0.5 * step));
        return toArray(c);
    }

    private static float[] candidatesScaled(long lo, long hi, float s) {
        List<Float> c = new ArrayList<>();
        long[] ms = {lo, lo + 1, -1, 0, 1, hi - 1, hi};
        for (long m : ms) {
            addWithNeighbours(c, m * s);
            addWithNeighbours(c, (m + 0.5f) * s);
            addWithNeighbours(c, (m - 0.5f) * s);
        }
        addWithNeighbours(c, (hi + 3) * s);
        addWithNeighbours(c, (lo - 3) * s);
        return toArray(c);
    }

    private static void addWithNeighbours(List<Float> c, float v) {
        if (!Float.isFinite(v)) {
            return;
        }
        c.add(v);
        c.add(Math.nextUp(v));
        c.add(Math.nextDown(v));
    }

    private static float[] toArray(List<Float> c) {
        float[] out = new float[c.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = c.get(t);
        }
        return out;
    }

    /** Per-sample input size. */
    public int inputSize() {
        return numel;
    }

    /** {@code count} random samples: each element Gaussian with a standard deviation of half its quantizer's range. */
    public float[] random(Random rnd, int count) {
        float[] x = new float[count * numel];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) (rnd.nextGaussian() * 0.5 * spread[t % numel]);
        }
        return x;
    }

    /** {@code count} adversarial samples: each element an extreme, tie or tie neighbour of its own format. */
    public float[] adversarial(Random rnd, int count) {
        float[] x = new float[count * numel];
        for (int t = 0; t < x.length; t++) {
            float[] c = candidates[t % numel];
            x[t] = c[rnd.nextInt(c.length)];
        }
        return x;
    }

    /** Number of distinct adversarial values of element {@code e}. */
    public int candidateCount(int e) {
        return candidates[e].length;
    }
}
