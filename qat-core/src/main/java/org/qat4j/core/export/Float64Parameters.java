package org.qat4j.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Casts every parameter of a block tree to FLOAT64 in place, for a bit-exactness check whose
 * accumulators need more than 24 bits: float64 sums of integers on one grid are exact up to 2^53,
 * float32 sums only up to 2^24. DJL's {@code Block.cast} is not implemented for its built-in blocks,
 * so the arrays are replaced one by one (requires-grad is restored).
 */
public final class Float64Parameters {
    private Float64Parameters() {}

    /** Casts every initialized parameter of {@code root} to FLOAT64. */
    public static void cast(Block root) {
        for (Pair<String, Parameter> p : root.getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                continue;
            }
            NDArray a = param.getArray();
            if (a.getDataType() == DataType.FLOAT64) {
                continue;
            }
            boolean grad = a.hasGradient();
            NDArray d = a.toType(DataType.FLOAT64, true);
            param.close();
            param.setShape(null);
            param.setArray(d);
            if (grad) {
                d.setRequiresGradient(true);
            }
        }
    }
}
