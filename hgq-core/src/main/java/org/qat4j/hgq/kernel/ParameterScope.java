package org.qat4j.hgq.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Lends parameter arrays to a batch's manager for one computation, so that results of ops whose
 * first operand is a parameter do not pile up in the model's manager (DJL attaches a result to the
 * manager of its first operand).
 *
 * <p>On close the parameters go back to their own manager and every temporary moves to the batch's
 * manager instead of being closed: autograd may still need them in the backward pass. Closing them
 * early (closing a sub-manager before {@code backward}) was measured to corrupt gradients (NaN in
 * shared bit parameters after tens of steps, depending on GC timing).
 */
public final class ParameterScope implements AutoCloseable {

    private final NDManager outer;
    private final NDManager scope;
    private final java.util.Set<NDArray> lent = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private ParameterScope(NDManager outer, NDArray... parameters) {
        this.outer = outer;
        this.scope = outer.newSubManager();
        List<NDArray> present = new ArrayList<>();
        for (NDArray p : parameters) {
            if (p != null) {
                present.add(p);
            }
        }
        lend(present.toArray(new NDArray[0]));
    }

    /** Lends more parameter arrays to the scope (returned to their owners on close). */
    public void lend(NDArray... parameters) {
        for (NDArray p : parameters) {
            if (p != null && lent.add(p)) {
                scope.tempAttachAll(p);
            }
        }
    }

    /**
     * Opens a scope under {@code outer} (the batch's manager) lending it the given parameters.
     *
     * @param outer the manager that receives the temporaries on close
     * @param parameters parameter arrays (nulls are skipped)
     * @return the scope
     */
    public static ParameterScope open(NDManager outer, NDArray... parameters) {
        return new ParameterScope(outer, parameters);
    }

    /** The scope's manager (lend parameters with {@link #lend}, never with {@code tempAttachAll}). */
    public NDManager manager() {
        return scope;
    }

    /** Moves the temporaries to the outer manager and returns the parameters to their owners. */
    @Override
    public void close() {
        for (NDArray a : scope.getManagedArrays()) {
            if (!a.isReleased() && !lent.contains(a)) {
                a.attach(outer);
            }
        }
        scope.close();
    }
}
