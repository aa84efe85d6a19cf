package org.qat4j.runtime.exec;

import java.util.Random;
import java.util.function.LongConsumer;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * The exact multiply-accumulate kernels for the differential JIT suite ({@code org.qat4j.runtime.jit}):
 * random dense and conv layers (weights of 1 to 30 bits, inputs of 1 to 20 bits, a third pruned) run
 * on every arithmetic at least as wide as the proven one, scalar and Vector API, on inputs at the ends
 * of their proven ranges; every output integer is reported in order.
 */
public final class ExactKernelsWorkload {
    private ExactKernelsWorkload() {}

    /**
     * The fast quantizers ({@link QuantizeFixedKernel} scalar and Vector API, {@link RequantizeFixedKernel}, each
     * writing {@code long[]} and every fused operand type): {@code rounds} random
     * per-element format vectors (widths 0 to 12, pruned elements included) under RND/TRN and SAT/WRAP, the
     * fast modes first so their profile is hot when the others and the out-of-range inputs arrive; every
     * mantissa is reported in order.
     */
    public static void quantizers(long seed, int rounds, LongConsumer out) {
        Random rnd = new Random(seed);
        org.qat4j.runtime.fixed.RoundingMode[] modes = org.qat4j.runtime.fixed.RoundingMode.values();
        org.qat4j.runtime.fixed.OverflowMode[] overflows = org.qat4j.runtime.fixed.OverflowMode.values();
        for (int t = 0; t < rounds; t++) {
            int n = 1 + rnd.nextInt(40);
            org.qat4j.runtime.fixed.FixedFormat[] fmts = new org.qat4j.runtime.fixed.FixedFormat[n];
            int[] inFrac = new int[n];
            float[] x = new float[n];
            long[] m = new long[n];
            long[][] range = {new long[n], new long[n]};
            for (int e = 0; e < n; e++) {
                int k = rnd.nextInt(2);
                int f = rnd.nextInt(9) - 2;
                fmts[e] = new org.qat4j.runtime.fixed.FixedFormat(k, rnd.nextInt(13) - k - f, f);
                inFrac[e] = f + rnd.nextInt(8);
                x[e] = (float) (rnd.nextGaussian() * Math.scalb(1.0, 8 - f)) + (rnd.nextInt(4) == 0 ? 0.5f : 0f);
                m[e] = (long) (rnd.nextGaussian() * Math.scalb(1.0, 12));
                range[0][e] = -(1L << 14);
                range[1][e] = 1L << 14;
            }
            boolean late = t > rounds / 2;
            var r = late
                    ? modes[rnd.nextInt(modes.length)]
                    : (rnd.nextBoolean() ? modes[0] : org.qat4j.runtime.fixed.RoundingMode.TRN);
            var o = late ? overflows[rnd.nextInt(overflows.length)] : org.qat4j.runtime.fixed.OverflowMode.SAT;
            // the Vector API rows every third round: under -Xint each vector operation runs the Vector API's Java
            // fallback, and the scenario must stay within the suite's time limit
            boolean[] rows = t % 3 == 0 ? new boolean[] {false, true} : new boolean[] {false};
            for (boolean vector : rows) {
                QuantizeFixedKernel q = new QuantizeFixedKernel(fmts, r, o, 0, 1, long[].class, vector);
                // long[] and the operand types of a fused dense layer (widths ≤ 12: exact in all of them; the
                // quantizer's stores are one scalar loop per type after either row)
                for (Class<?> type : vector ? new Class<?>[] {long[].class, float[].class} : TYPES) {
                    Object[] env = {x, null};
                    try {
                        (type == long[].class ? q : q.writing(type)).run(env, 1);
                        for (long v : FastQuantizersTest.longs(env[1])) {
                            out.accept(v);
                        }
                    } catch (RuntimeException e) {
                        out.accept(e.getClass().getName().hashCode());
                    }
                }
            }
            boolean relu = rnd.nextBoolean();
            for (boolean vector : rows) {
                RequantizeFixedKernel rq =
                        new RequantizeFixedKernel(inFrac, fmts, r, o, range, relu, 0, 1, long[].class, vector);
                for (Class<?> type : TYPES) {
                    Object[] env = {m, null};
                    (type == long[].class ? rq : rq.writing(type)).run(env, 1);
                    for (long v : FastQuantizersTest.longs(env[1])) {
                        out.accept(v);
                    }
                }
            }
        }
    }

    private static final Class<?>[] TYPES = {long[].class, float[].class, int[].class, double[].class};

    /** Runs {@code layers} random layers from {@code seed}; fails unless the Vector API kernels are loaded. */
    public static void run(long seed, int layers, LongConsumer out) {
        if (!MatMul.VECTOR_AVAILABLE || MatMul.VECTOR_MIN_WORK != 0) {
            throw new IllegalStateException(
                    "run with --add-modules jdk.incubator.vector -Dqat.runtime.vectorMinWork=0");
        }
        Random rnd = new Random(seed);
        for (int l = 0; l < layers; l++) {
            int weightBits = 1 + rnd.nextInt(30);
            int inputBits = 1 + rnd.nextInt(20);
            IntegerModel m = rnd.nextBoolean()
                    ? ExactKernelsTest.randomConv(rnd, weightBits, inputBits)
                    : ExactKernelsTest.randomDense(rnd, weightBits, inputBits);
            RangeAnalysis ra = RangeAnalysis.of(m);
            ModelOp op = m.op("layer");
            int batch = 1 + rnd.nextInt(5);
            long[] x = ExactKernelsTest.extremes(rnd, m, op, ra, batch);
            Arithmetic proven = ExactKernelsTest.chosen(m, op, ra);
            for (Arithmetic a : Arithmetic.values()) {
                if (a.compareTo(proven) < 0) {
                    continue;
                }
                for (boolean vector : new boolean[] {false, true}) {
                    for (long v : ExactKernelsTest.run(ExactKernelsTest.kernel(m, op, ra, a, vector), x, batch)) {
                        out.accept(v);
                    }
                }
            }
        }
    }
}
