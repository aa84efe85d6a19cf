package org.qat4j.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays from Java data, and scalar operands, whose memory belongs to the engine.
 *
 * <p>Why: DJL 0.36.0's PyTorch engine builds an array from Java data ({@code create(float[])},
 * {@code create(Number)}, and every {@code Number} operand such as {@code x.mul(2.0)} or
 * {@code x.clip(lo, hi)}) with {@code torch::from_blob} over a direct {@code ByteBuffer}, without a copy:
 * the tensor aliases the buffer, and only the Java object keeps the buffer alive. Autograd saves operands
 * for the backward pass (the other factor of a product, a divisor, a power's base and exponent, the bounds
 * of max/min/clamp). Once the Java array is closed ({@code x.mul(2.0)} closes its scalar immediately; a
 * sub-manager closes its arrays at the end of a forward pass) and the buffer is collected, the backward
 * pass reads freed memory: gradients become wrong or NaN depending on GC timing.
 *
 * <p>Every method here returns engine-owned memory ({@code duplicate()} is a {@code clone} with its own
 * storage, {@code full} allocates inside PyTorch), with exactly the values and data type DJL would have
 * produced, so forward results do not change. This is the one place for the workaround (it was written
 * three times: here, as A2Q's {@code GraphScalars} and as HGQ's {@code HgqBitOps.scalar}).
 */
public final class NativeArrays {

    private NativeArrays() {}

    /**
     * Replaces an array that may alias Java memory by an engine-owned copy (same values, shape, type and
     * manager) and closes the original.
     *
     * @param javaBacked an array just created from Java data
     * @return the copy
     */
    public static NDArray owned(NDArray javaBacked) {
        try (NDArray wrapped = javaBacked) {
            return wrapped.duplicate();
        }
    }

    /**
     * {@code manager.create(data, shape)} in engine-owned memory.
     *
     * @param manager the owner of the result
     * @param data the values (copied)
     * @param shape the shape
     * @return a float32 array
     */
    public static NDArray create(NDManager manager, float[] data, Shape shape) {
        return owned(manager.create(data, shape));
    }

    /**
     * {@code manager.create(data, shape)} in engine-owned memory.
     *
     * @param manager the owner of the result
     * @param data the values (copied)
     * @param shape the shape
     * @return a float64 array
     */
    public static NDArray create(NDManager manager, double[] data, Shape shape) {
        return owned(manager.create(data, shape));
    }

    /**
     * {@code manager.create(value)} (same data type DJL picks for the {@code Number}'s class) in engine-owned
     * memory.
     *
     * @param manager the owner of the result
     * @param value the scalar
     * @return a 0-dimensional array
     */
    public static NDArray scalar(NDManager manager, Number value) {
        return owned(manager.create(value));
    }

    /**
     * A 0-d tensor of {@code dataType} holding {@code (float) value}, allocated by PyTorch ({@code full}):
     * the scalar operand for an op whose operand autograd saves (mul, div, pow, maximum, minimum).
     */
    public static NDArray full(NDManager manager, double value, DataType dataType) {
        return manager.full(new Shape(), (float) value, dataType);
    }

    /** A 0-d float32 tensor holding {@code value}, allocated by PyTorch, attached to {@code manager}. */
    public static NDArray full(NDManager manager, float value) {
        return manager.full(new Shape(), value, DataType.FLOAT32);
    }

    /** A 0-d float32 tensor holding {@code value}, allocated by PyTorch, attached to the manager of {@code like}. */
    public static NDArray fullLike(NDArray like, float value) {
        return full(like.getManager(), value);
    }

    /** {@code x.mul(n)} with an engine-owned scalar: same values and type promotion. */
    public static NDArray mul(NDArray x, Number n) {
        try (NDArray s = scalar(x.getManager(), n)) {
            return x.mul(s);
        }
    }

    /** {@code x.div(n)} with an engine-owned scalar: same values and type promotion. */
    public static NDArray div(NDArray x, Number n) {
        try (NDArray s = scalar(x.getManager(), n)) {
            return x.div(s);
        }
    }

    /** {@code x.pow(n)} with an engine-owned scalar: same values and type promotion. */
    public static NDArray pow(NDArray x, Number n) {
        try (NDArray s = scalar(x.getManager(), n)) {
            return x.pow(s);
        }
    }

    /** {@code x.maximum(n)} with an engine-owned scalar: same values and type promotion. */
    public static NDArray maximum(NDArray x, Number n) {
        try (NDArray s = scalar(x.getManager(), n)) {
            return x.maximum(s);
        }
    }

    /** {@code x.minimum(n)} with an engine-owned scalar: same values and type promotion. */
    public static NDArray minimum(NDArray x, Number n) {
        try (NDArray s = scalar(x.getManager(), n)) {
            return x.minimum(s);
        }
    }

    /**
     * {@code x.clip(lo, hi)} with the same values and the same gradient (1 where {@code lo ≤ x ≤ hi}, else 0),
     * but nothing Java-backed saved for the backward pass: the clamp runs on a detached copy and a
     * {@code where} on a boolean mask routes the gradient.
     *
     * @param x the input
     * @param lo the lower bound
     * @param hi the upper bound
     * @return the clipped array
     */
    public static NDArray clip(NDArray x, Number lo, Number hi) {
        NDArray clamped = x.stopGradient().clip(lo, hi);
        NDArray inside = x.gte(lo).logicalAnd(x.lte(hi));
        return NDArrays.where(inside, x, clamped);
    }
}
