package org.qat4j.runtime.model;

/** Shared validation of layer hyper-parameters. */
final class LayerChecks {
    private LayerChecks() {}

    static void checkAccumulatorBits(String name, int bits) {
        if (bits < 2 || bits > 64) {
            throw new ModelFormatException(name + ".accumulatorBits = " + bits + ": must lie in [2, 64]");
        }
    }

    static int[] positive(int[] v, int rank, String field) {
        if (v.length != rank) {
            throw new ModelFormatException(field + ": length " + v.length + " != " + rank);
        }
        for (int x : v) {
            if (x <= 0) {
                throw new ModelFormatException(
                        field + " = " + java.util.Arrays.toString(v) + ": entries must be positive");
            }
        }
        return v.clone();
    }

    static int[] nonNegative(int[] v, int rank, String field) {
        if (v.length != rank) {
            throw new ModelFormatException(field + ": length " + v.length + " != " + rank);
        }
        for (int x : v) {
            if (x < 0) {
                throw new ModelFormatException(field + " = " + java.util.Arrays.toString(v) + ": entries must be ≥ 0");
            }
        }
        return v.clone();
    }
}
