package org.qat4j.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * The ONNX element type that carries an integer tensor of the model as exact values: float32 while
 * every value (and every partial sum of the op that makes it) stays within 2^24 in magnitude, float64
 * below 2^53. IEEE arithmetic on integers within those bounds is exact in any order.
 */
enum NumType {
    F32(TensorProto.DataType.FLOAT, 1L << 24),
    F64(TensorProto.DataType.DOUBLE, 1L << 53);

    final TensorProto.DataType onnx;
    /** Largest magnitude up to which every integer is exact. */
    final long exactBound;

    NumType(TensorProto.DataType onnx, long exactBound) {
        this.onnx = onnx;
        this.exactBound = exactBound;
    }

    /** The narrowest type holding every integer of magnitude at most {@code bound}, or null if none does. */
    static NumType forBound(long bound) {
        if (bound <= F32.exactBound) {
            return F32;
        }
        return bound <= F64.exactBound ? F64 : null;
    }

    /** The wider of two types. */
    NumType max(NumType o) {
        return this == F64 || o == F64 ? F64 : F32;
    }
}
