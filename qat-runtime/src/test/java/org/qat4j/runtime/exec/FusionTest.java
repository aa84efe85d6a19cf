package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TestModels;

/**
 * The fused kernels ({@link Fusion}: quantizers writing the next dense layer's operand type, ReLUs inside
 * requantizers) compute what the op-by-op kernels of {@code trace} compute, bit for bit, on every example
 * model, random and adversarial inputs, batches of 1 to 37; and the example models do reach the typed paths.
 */
class FusionTest {

    @Test
    void fusedRunsEqualTheOpByOpTraceOnEveryExampleModel() {
        Random rnd = new Random(23);
        Set<Class<?>> typed = new HashSet<>();
        for (IntegerModel m : IntegerRuntimeTest.models()) {
            IntegerRuntime rt = IntegerRuntime.compile(m);
            for (Kernel k : rt.fusedKernels()) {
                if (k instanceof QuantizeFixedKernel q && q.outputType() != long[].class) {
                    typed.add(q.outputType());
                }
                if (k instanceof RequantizeFixedKernel q && q.outputType() != long[].class) {
                    typed.add(q.outputType());
                }
            }
            InputGenerators gen = InputGenerators.of(m);
            for (int batch : new int[] {1, 2, 5, 37}) {
                for (boolean adversarial : new boolean[] {false, true}) {
                    float[] x = adversarial ? gen.adversarial(rnd, batch) : gen.random(rnd, batch);
                    Map<String, Object> trace = rt.trace(x, batch);
                    Object want = trace.get(m.outputName());
                    String what = m.provenance().method() + " " + m.ops().size() + " ops, batch " + batch
                            + (adversarial ? " adversarial" : " random");
                    if (want instanceof float[] f) {
                        float[] got = rt.runFloat(x, batch);
                        assertEquals(f.length, got.length, what);
                        for (int e = 0; e < f.length; e++) {
                            assertEquals(
                                    Float.floatToRawIntBits(f[e]),
                                    Float.floatToRawIntBits(got[e]),
                                    what + " element " + e);
                        }
                    } else {
                        assertArrayEquals((long[]) want, rt.runInt(x, batch), what);
                    }
                }
            }
        }
        assertTrue(typed.contains(float[].class), "example models with a quantizer writing float32 operands: " + typed);
    }

    /** The benchmark's shape (jets MLP): every quantizer writes its dense layer's operand type. */
    @Test
    void everyQuantizerOfAnMlpWritesItsLayersOperandType() {
        IntegerRuntime rt = IntegerRuntime.compile(TestModels.mlpFixed(1, 16, 64, 32, 32, 5));
        int quantizers = 0;
        for (Kernel k : rt.fusedKernels()) {
            if (k instanceof QuantizeFixedKernel q) {
                assertEquals(float[].class, q.outputType());
                quantizers++;
            }
            if (k instanceof RequantizeFixedKernel q) {
                assertEquals(float[].class, q.outputType());
                quantizers++;
            }
        }
        assertEquals(4, quantizers, "the input quantizer and three requantizers");
    }
}
