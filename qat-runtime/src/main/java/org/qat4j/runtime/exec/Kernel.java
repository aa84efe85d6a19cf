package org.qat4j.runtime.exec;

/**
 * One compiled op. {@code env[slot]} holds a tensor's batch data: {@code long[]} for integer tensors,
 * {@code float[]} for float tensors, {@code batch × numel} elements, sample-major; in the fused kernels
 * ({@link Fusion}) a quantizer's tensor may instead be in the packed operand type of the dense layer that
 * alone reads it ({@code float[]}, {@code int[]} or {@code double[]} holding integers).
 */
interface Kernel {
    /** Computes the op's output slot from its input slots. */
    void run(Object[] env, int batch);

    /** The arithmetic a multiply-accumulate kernel chose from the proof ("int", "long", …); null for other kernels. */
    default String arithmetic() {
        return null;
    }
}
