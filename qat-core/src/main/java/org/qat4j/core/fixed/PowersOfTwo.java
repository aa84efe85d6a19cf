package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Exact powers of two {@code 2^n} for integer-valued float64 arrays {@code n}, by table lookup, for one
 * call's scope.
 *
 * <p>A lookup rather than {@code pow(2, n)}: the exact fixed-point path (HGQ, arXiv 2405.00645,
 * Section 3) must not depend on the accuracy of the native math library. Exponents must lie in
 * [{@value #MIN_EXPONENT}, {@value #MAX_EXPONENT}] (validated bits keep them there); an exponent outside
 * makes the lookup fail rather than return a wrong power.
 */
final class PowersOfTwo {

    static final int MIN_EXPONENT = -192;
    static final int MAX_EXPONENT = 192;

    private static final double[] TABLE = new double[MAX_EXPONENT - MIN_EXPONENT + 1];

    static {
        for (int n = MIN_EXPONENT; n <= MAX_EXPONENT; n++) {
            TABLE[n - MIN_EXPONENT] = Math.scalb(1.0, n);
        }
    }

    private final NDManager manager;
    private final NDArray table;

    /**
     * Creates the table in {@code manager}; it is closed with the manager.
     *
     * @param manager the scope of the call
     */
    PowersOfTwo(NDManager manager) {
        this.manager = manager;
        this.table = manager.create(TABLE);
    }

    /**
     * Returns {@code 2^n} elementwise as float64.
     *
     * @param n integer-valued float64 exponents
     * @return the powers, same shape as n
     */
    NDArray exp2(NDArray n) {
        NDArray index = n.sub(MIN_EXPONENT).toType(DataType.INT64, false);
        return table.take(manager, index);
    }
}
