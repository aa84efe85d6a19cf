package org.qat4j.core.train;

/**
 * Moved: the engine workarounds are gathered in {@code org.qat4j.core.engine}; this class only forwards.
 *
 * @deprecated use {@link org.qat4j.core.engine.NoGradScope}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class NoGradScope implements AutoCloseable {

    private final org.qat4j.core.engine.NoGradScope scope;

    private NoGradScope(org.qat4j.core.engine.NoGradScope scope) {
        this.scope = scope;
    }

    /** @deprecated use {@link org.qat4j.core.engine.NoGradScope#open()} */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NoGradScope open() {
        return new NoGradScope(org.qat4j.core.engine.NoGradScope.open());
    }

    @Override
    public void close() {
        scope.close();
    }
}
