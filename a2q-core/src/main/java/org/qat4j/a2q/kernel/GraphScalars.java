package org.qat4j.a2q.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for ops recorded by autograd, allocated by PyTorch instead of wrapped around Java memory.
 *
 * <p>Why this exists: DJL's PyTorch engine turns the {@code Number} operand of {@code x.mul(2f)},
 * {@code x.maximum(1e-10f)}, {@code x.pow(...)} etc. (and every {@code manager.create(...)}) into a tensor that
 * <em>aliases a Java direct ByteBuffer</em>, and {@code mul(Number)} closes that tensor right after the op. Autograd
 * saves the scalar for the backward pass ({@code ∂(x·c)/∂x = c}, the masks of {@code maximum/minimum},
 * {@code ∂(2^p)/∂p = 2^p·ln 2} reads the base), so once the garbage collector frees the buffer, the backward pass
 * reads freed memory: gradients become garbage or NaN at a random step (the A2Q training divergence). A tensor from
 * {@link NDManager#full} owns its storage inside PyTorch, which the autograd graph keeps alive as long as needed.
 * The values are the same as DJL's: a 0-d float32 tensor, promoted exactly as DJL promotes a {@code Number}.
 */
public final class GraphScalars {

    private GraphScalars() {
    }

    /** A 0-d float32 tensor holding {@code value}, owned by PyTorch, attached to {@code manager}. */
    public static NDArray of(NDManager manager, float value) {
        return manager.full(new Shape(), value, DataType.FLOAT32);
    }

    /** A 0-d float32 tensor holding {@code value}, attached to the manager of {@code like}. */
    public static NDArray like(NDArray like, float value) {
        return of(like.getManager(), value);
    }
}
