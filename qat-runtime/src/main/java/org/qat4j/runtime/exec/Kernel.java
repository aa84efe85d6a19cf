package org.qat4j.runtime.exec;

/**
 * One compiled op. {@code env[slot]} holds a tensor's batch data: {@code long[]} for integer tensors,
 * {@code float[]} for float tensors, {@code batch × numel} elements, sample-major.
 */
interface Kernel {
    /** Computes the op's output slot from its input slots. */
    void run(Object[] env, int batch);
}
