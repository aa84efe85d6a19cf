package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Exact powers of two {@code 2^n} for integer-valued float64 arrays {@code n}, by table lookup.
 *
 * <p>A lookup rather than {@code pow(2, n)}: the exact fixed-point path (HGQ, arXiv 2405.00645,
 * Section 3) must not depend on the accuracy of the native math library. Exponents are clamped to
 * [{@value #MIN_EXPONENT}, {@value #MAX_EXPONENT}]; callers validate that the exponents they use lie
 * inside, so the clamp only touches elements whose result is discarded.
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

    private PowersOfTwo() {
    }

    /**
     * Returns {@code 2^n} elementwise as float64, in the manager of {@code n}.
     *
     * @param n integer-valued exponents (any float or integer type)
     * @return the powers, same shape as n
     */
    static NDArray exp2(NDArray n) {
        NDArray index = n.toType(DataType.FLOAT64, false)
                .clip(MIN_EXPONENT, MAX_EXPONENT)
                .sub(MIN_EXPONENT)
                .toType(DataType.INT64, false);
        NDArray table = n.getManager().create(TABLE);
        return table.take(n.getManager(), index);
    }
}
