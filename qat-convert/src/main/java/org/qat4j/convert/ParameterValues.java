package org.qat4j.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import org.qat4j.core.engine.NoGradScope;

/** Writes trained values into an initialized parameter of the twin, in place (requires-grad is kept). */
final class ParameterValues {

    private ParameterValues() {}

    static void set(Parameter target, NDArray values, String what) {
        if (target == null || !target.isInitialized()) {
            throw new IllegalStateException(what + ": the twin's parameter is not initialized");
        }
        NDArray t = target.getArray();
        if (!t.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException(
                    what + ": float shape " + values.getShape() + " does not match the twin's " + t.getShape());
        }
        try (NoGradScope ignored = NoGradScope.open()) {
            t.set(values.toType(t.getDataType(), false).toByteBuffer());
        }
    }

    /**
     * Re-runs a parameter's initializer and writes the result into the existing array, in place (used for
     * bit widths derived from the weights at initialization, after the trained weights replaced the random
     * ones). The array object stays the same, so every holder of it sees the new values.
     */
    static void rederive(Parameter p, NDManager manager, String what) {
        NDArray current = p.getArray();
        try (NDManager sub = manager.newSubManager()) {
            NDArray fresh = p.getInitializer().initialize(sub, current.getShape(), current.getDataType());
            set(p, fresh, what);
        }
    }
}
