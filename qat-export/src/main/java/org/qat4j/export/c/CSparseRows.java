package org.qat4j.export.c;

/**
 * Compressed sparse rows of an integer weight matrix, the layout of every weight table the C export
 * writes: zero weights are dropped, and row {@code r}'s non-zero weights are {@code w[ptr[r] .. ptr[r+1])}
 * with their column (tap) numbers in {@code tap}.
 */
record CSparseRows(long[] ptr, long[] tap, long[] w) {
    /** The rows of {@code weights}, {@code rows} rows of equal length, row-major. */
    static CSparseRows of(int[] weights, int rows) {
        int per = weights.length / rows;
        int nnz = 0;
        for (int v : weights) {
            nnz += v != 0 ? 1 : 0;
        }
        long[] ptr = new long[rows + 1];
        long[] tap = new long[nnz];
        long[] w = new long[nnz];
        int t = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < per; j++) {
                int v = weights[r * per + j];
                if (v != 0) {
                    tap[t] = j;
                    w[t++] = v;
                }
            }
            ptr[r + 1] = t;
        }
        return new CSparseRows(ptr, tap, w);
    }
}
