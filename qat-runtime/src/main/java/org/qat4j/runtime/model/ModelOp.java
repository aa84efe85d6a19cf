package org.qat4j.runtime.model;

import java.util.List;

/**
 * One operation of the integer graph. Each op reads named tensors and writes one tensor under its
 * own {@link #name()}. Ops appear in the model in execution order; an op may only read the model
 * input or tensors written by earlier ops. The formulas of each op are documented on its record and
 * in {@code docs/format.md}.
 */
public sealed interface ModelOp
        permits QuantizeFixedOp,
                QuantizeScaledOp,
                DenseOp,
                ConvOp,
                AddOp,
                FloatAddOp,
                ReluOp,
                PoolOp,
                FlattenOp,
                RequantizeFixedOp,
                DequantizeFixedOp,
                DequantizeScaledOp,
                EmbeddingOp,
                MultipointDenseOp,
                SparqOp {

    /** Name of the output tensor (unique in the model). */
    String name();

    /** Names of the input tensors. */
    List<String> inputs();

    /** The {@code op} word used in the model file, e.g. {@code dense}. */
    String opType();

    /**
     * Checks the inputs' shapes and kinds and returns the output's.
     *
     * @param in infos of {@link #inputs()}, in order
     * @param field field name for error messages, e.g. {@code $.ops[3]}
     */
    TensorInfo infer(List<TensorInfo> in, String field);

    /** Throws unless {@code t} has kind {@code kind}. */
    static void requireKind(TensorInfo t, TensorKind kind, String field, String input) {
        if (t.kind() != kind) {
            throw new ModelFormatException(
                    field + ": input '" + input + "' is " + t + ", expected a " + kind + " tensor");
        }
    }
}
