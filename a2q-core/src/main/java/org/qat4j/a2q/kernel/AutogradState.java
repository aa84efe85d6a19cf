package org.qat4j.a2q.kernel;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Whether ops on the current thread are recorded for a backward pass (PyTorch's grad mode is thread-local).
 *
 * <p>Why kernels ask this and not the arrays: with DJL 0.36.0's PyTorch engine, {@code NDArray.hasGradient()} and
 * {@code JniUtils.requiresGrad} answer false for intermediate results that do carry a gradient function, and
 * {@code JniUtils.getGradientFunctionNames} crashes the JVM on an array without one. A kernel that skipped its
 * recorded ops on such an answer would silently cut the graph; so kernels record whenever grad mode is on.
 */
public final class AutogradState {

    private AutogradState() {}

    /** True if grad mode is on for this thread (inside a gradient collector, or on a non-engine thread). */
    public static boolean isRecording() {
        return JniUtils.isGradMode();
    }
}
