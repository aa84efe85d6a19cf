package org.qat4j.core.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Moved: the engine workarounds are gathered in {@code org.qat4j.core.engine}; this class only forwards.
 *
 * @deprecated use {@link org.qat4j.core.engine.NativeArrays}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class NativeArrays {

    private NativeArrays() {}

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#owned} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray owned(NDArray javaBacked) {
        return org.qat4j.core.engine.NativeArrays.owned(javaBacked);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#create(NDManager, float[], Shape)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray create(NDManager manager, float[] data, Shape shape) {
        return org.qat4j.core.engine.NativeArrays.create(manager, data, shape);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#create(NDManager, double[], Shape)} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray create(NDManager manager, double[] data, Shape shape) {
        return org.qat4j.core.engine.NativeArrays.create(manager, data, shape);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#scalar} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray scalar(NDManager manager, Number value) {
        return org.qat4j.core.engine.NativeArrays.scalar(manager, value);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#mul} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray mul(NDArray x, Number n) {
        return org.qat4j.core.engine.NativeArrays.mul(x, n);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#div} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray div(NDArray x, Number n) {
        return org.qat4j.core.engine.NativeArrays.div(x, n);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#pow} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray pow(NDArray x, Number n) {
        return org.qat4j.core.engine.NativeArrays.pow(x, n);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#maximum} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray maximum(NDArray x, Number n) {
        return org.qat4j.core.engine.NativeArrays.maximum(x, n);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#minimum} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray minimum(NDArray x, Number n) {
        return org.qat4j.core.engine.NativeArrays.minimum(x, n);
    }

    /** @deprecated use {@link org.qat4j.core.engine.NativeArrays#clip} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray clip(NDArray x, Number lo, Number hi) {
        return org.qat4j.core.engine.NativeArrays.clip(x, lo, hi);
    }
}
