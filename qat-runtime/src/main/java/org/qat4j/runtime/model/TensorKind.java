package org.qat4j.runtime.model;

/** What a tensor of the integer graph holds: integer mantissas/integers, or IEEE float32 values. */
public enum TensorKind {
    /** Integers (fixed-point mantissas, A2Q integers, accumulators), held as 64-bit longs by the runtime. */
    INT,
    /** IEEE 754 float32 values: the model input and the outputs of dequantizing ops. */
    FLOAT
}
