package org.qat4j.ptq.rows;

import org.qat4j.runtime.model.EmbeddingOp;

/**
 * Row-wise quantization of an embedding table into an exact {@code embedding} op (arXiv 1911.02079):
 * each row gets its own {@code b}-bit codes — uniform asymmetric with a scale and offset found by
 * min/max ({@link Method#MINMAX}) or the greedy search ({@link Method#GREEDY}, {@link RowRangeSearch}),
 * or a k-means codebook ({@link Method#CODEBOOK}, {@link RowCodebook}). Scales, offsets and codebook
 * entries are then rounded to the grid {@code 2^-F}, and the codes recomputed against the rounded
 * values, so the integer model decodes exactly what is reported here.
 */
public final class RowwiseQuantizer {
    /** How a row's codes are chosen. */
    public enum Method {
        /** Uniform codes over {@code [min, max]} of the row. */
        MINMAX,
        /** Uniform codes over the range of the greedy search (200 bins, shrink ≤ 16%). */
        GREEDY,
        /** k-means++ codebook of {@code 2^b} centroids per row. */
        CODEBOOK
    }

    /**
     * A quantized table.
     *
     * @param op the integer op (output grid {@code 2^-fraction})
     * @param fraction F
     * @param values the decoded real values {@code v · 2^-F}, row-major
     */
    public record Result(EmbeddingOp op, int fraction, double[] values) {}

    private RowwiseQuantizer() {}

    /**
     * The largest fraction F ≤ 24 at which {@code positions} rows of magnitude up to {@code maxAbs} sum
     * inside a signed {@code accBits}-bit register (with one grid step of slack per term).
     */
    public static int fraction(double maxAbs, int positions, int accBits) {
        double limit = Math.pow(2, accBits - 1) - 1;
        for (int f = 24; f > -24; f--) {
            if (positions * (maxAbs * Math.pow(2, f) + 2) <= limit) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "values up to " + maxAbs + " over " + positions + " positions do not fit " + accBits + " bits");
    }

    /**
     * Quantizes {@code table} ({@code rows × dim}, row-major).
     *
     * @param name op name
     * @param input index tensor name
     * @param bits code bits (1..8)
     * @param fraction F of the output grid
     * @param accBits declared accumulator width
     * @param seed k-means seed (codebook only; row r uses {@code seed + r})
     */
    public static Result quantize(
            float[] table,
            int rows,
            int dim,
            Method method,
            int bits,
            int fraction,
            int accBits,
            String name,
            String input,
            long seed) {
        if (bits < 1 || bits > 8) {
            throw new IllegalArgumentException("bits = " + bits + ": must lie in [1, 8]");
        }
        if ((long) rows * dim != table.length) {
            throw new IllegalArgumentException("table has " + table.length + " values, expected " + rows + " × " + dim);
        }
        double grid = Math.scalb(1.0, fraction);
        int top = (1 << bits) - 1;
        int[] codes = new int[table.length];
        double[] values = new double[table.length];
        long[] scale = method == Method.CODEBOOK ? null : new long[rows];
        long[] offset = method == Method.CODEBOOK ? null : new long[rows];
        long[] book = method == Method.CODEBOOK ? new long[rows << bits] : null;
        float[] row = new float[dim];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(table, r * dim, row, 0, dim);
            if (method == Method.CODEBOOK) {
                double[] c = RowCodebook.centroids(row, bits, 100, seed + r);
                for (int i = 0; i <= top; i++) {
                    book[(r << bits) + i] = Math.round(c[i] * grid);
                }
                for (int d = 0; d < dim; d++) {
                    double x = row[d] * grid;
                    int bestI = 0;
                    for (int i = 1; i <= top; i++) {
                        if (Math.abs(x - book[(r << bits) + i]) < Math.abs(x - book[(r << bits) + bestI])) {
                            bestI = i;
                        }
                    }
                    codes[r * dim + d] = bestI;
                    values[r * dim + d] = book[(r << bits) + bestI] / grid;
                }
                continue;
            }
            double[] range = method == Method.GREEDY
                    ? RowRangeSearch.search(row, bits, RowRangeSearch.BINS, RowRangeSearch.RATIO)
                    : RowRangeSearch.search(row, bits, 1, 0);
            long s = Math.round((range[1] - range[0]) / top * grid);
            long o = Math.round(range[0] * grid);
            scale[r] = s;
            offset[r] = o;
            for (int d = 0; d < dim; d++) {
                long c = s == 0 ? 0 : Math.max(0, Math.min(top, Math.round((row[d] * grid - o) / s)));
                codes[r * dim + d] = (int) c;
                values[r * dim + d] = (s * c + o) / grid;
            }
        }
        EmbeddingOp op = new EmbeddingOp(
                name,
                input,
                rows,
                dim,
                bits,
                method == Method.CODEBOOK ? EmbeddingOp.Kind.CODEBOOK : EmbeddingOp.Kind.AFFINE,
                codes,
                scale,
                offset,
                book,
                accBits);
        return new Result(op, fraction, values);
    }

    /**
     * Storage of the quantized table in bytes as the paper counts it: {@code b} bits per code plus
     * float32 per scale and offset (2 per row) or per codebook entry ({@code 2^b} per row).
     */
    public static long storageBytes(int rows, int dim, int bits, Method method) {
        long codes = ((long) rows * dim * bits + 7) / 8;
        long perRow = method == Method.CODEBOOK ? (1L << bits) : 2;
        return codes + rows * perRow * 4;
    }
}
