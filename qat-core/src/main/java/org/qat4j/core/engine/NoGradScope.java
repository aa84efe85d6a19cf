package org.qat4j.core.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's autograd recording off for the current thread and restores the previous mode
 * on close.
 *
 * <p>Grad mode is thread-local in PyTorch: on any thread but the one that loaded the engine, ops
 * outside a gradient collector record a graph, and an in-place update of a parameter that requires
 * gradients fails. Wrap parameter updates (projections, observer updates) in this scope.
 */
public final class NoGradScope implements AutoCloseable {

    private final boolean previous;

    private NoGradScope() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    /** Opens a scope; use it in try-with-resources. */
    public static NoGradScope open() {
        return new NoGradScope();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
