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

    /** Runs {@code layers} random layers from {@code seed}; fails unless the Vector API kernels are loaded. */
    public static void run(long seed, int layers, LongConsumer out) {
        if (!MatMul.VECTOR_AVAILABLE || MatMul.VECTOR_MIN_WORK != 0) {
            throw new IllegalStateException("run with --add-modules jdk.incubator.vector -Dqat.runtime.vectorMinWork=0");
        }
        Random rnd = new Random(seed);
        for (int l = 0; l < layers; l++) {
            int weightBits = 1 + rnd.nextInt(30);
            int inputBits = 1 + rnd.nextInt(20);
            IntegerModel m = rnd.nextBoolean() ? ExactKernelsTest.randomConv(rnd, weightBits, inputBits)
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
