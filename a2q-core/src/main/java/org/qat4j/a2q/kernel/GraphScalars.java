package org.qat4j.a2q.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.qat4j.core.engine.NativeArrays;

/**
 * Moved: engine-owned scalar operands are {@link NativeArrays#full(NDManager, float)} and
 * {@link NativeArrays#fullLike}; this class only forwards.
 *
 * @deprecated use {@link NativeArrays#full(NDManager, float)}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class GraphScalars {

    private GraphScalars() {}

    /** @deprecated use {@link NativeArrays#full(NDManager, float)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray of(NDManager manager, float value) {
        return NativeArrays.full(manager, value);
    }

    /** @deprecated use {@link NativeArrays#fullLike} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray like(NDArray like, float value) {
        return NativeArrays.fullLike(like, value);
    }
}
