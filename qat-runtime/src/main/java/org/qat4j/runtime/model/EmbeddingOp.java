package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code embedding}: a summed lookup of integer table rows (an embedding bag), with rows stored as
 * low-bit codes, row-wise quantization of arXiv 1911.02079 (Guan et al., "Post-Training 4-bit
 * Quantization on Embedding Tables", §3). Row {@code r}, column {@code d} decodes to an integer on the
 * op's output grid:
 * <ul>
 *   <li>{@link Kind#AFFINE}: {@code v[r][d] = scale_r · codes[r][d] + offset_r} (per-row asymmetric
 *       uniform codes, §3.1);</li>
 *   <li>{@link Kind#CODEBOOK}: {@code v[r][d] = codebook[r][codes[r][d]]} (per-row k-means codebook,
 *       §3.2).</li>
 * </ul>
 * For input indices {@code idx[0..L)}: {@code y_d = Σ_{l : 0 ≤ idx_l < R} v[idx_l][d]} in a signed
 * P-bit register; an index outside {@code [0, R)} selects nothing (padding). Codes lie in
 * {@code [0, 2^codeBits)}. Scale, offset and codebook entries are integers at the output's fraction,
 * so decoding and summing are exact integer arithmetic.
 *
 * @param name output tensor {@code [dim]}
 * @param input integer indices, rank 1
 * @param rows R
 * @param dim D
 * @param codeBits bits per code, in [1, 8]
 * @param kind affine or codebook
 * @param codes row-major {@code [R][D]}
 * @param scale affine: per row (null for codebook)
 * @param offset affine: per row (null for codebook)
 * @param codebook codebook: row-major {@code [R][2^codeBits]} (null for affine)
 * @param accumulatorBits declared signed accumulator width P, in [2, 64]
 */
public record EmbeddingOp(
        String name,
        String input,
        int rows,
        int dim,
        int codeBits,
        Kind kind,
        int[] codes,
        long[] scale,
        long[] offset,
        long[] codebook,
        int accumulatorBits)
        implements ModelOp {

    /** How a code decodes. */
    public enum Kind {
        /** {@code scale_r · c + offset_r}. */
        AFFINE,
        /** {@code codebook[r][c]}. */
        CODEBOOK
    }

    /** Validates sizes and code ranges (copies arrays). */
    public EmbeddingOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(kind, "kind");
        if (rows <= 0 || dim <= 0) {
            throw new ModelFormatException(name + ": rows = " + rows + ", dim = " + dim + " must be positive");
        }
        if (codeBits < 1 || codeBits > 8) {
            throw new ModelFormatException(name + ".codeBits = " + codeBits + ": must lie in [1, 8]");
        }
        if ((long) rows * dim != codes.length) {
            throw new ModelFormatException(
                    name + ".codes: length " + codes.length + " != rows × dim = " + rows + " × " + dim);
        }
        codes = codes.clone();
        for (int e = 0; e < codes.length; e++) {
            if (codes[e] < 0 || codes[e] >= (1 << codeBits)) {
                throw new ModelFormatException(name + ".codes[" + e / dim + "][" + e % dim + "] = " + codes[e]
                        + ": must lie in [0, " + ((1 << codeBits) - 1) + "]");
            }
        }
        if (kind == Kind.AFFINE) {
            if (scale == null || offset == null || scale.length != rows || offset.length != rows || codebook != null) {
                throw new ModelFormatException(name + ": an affine embedding needs scale and offset of length rows = "
                        + rows + " and no codebook");
            }
            scale = scale.clone();
            offset = offset.clone();
        } else {
            if (codebook == null
                    || (long) codebook.length != (long) rows << codeBits
                    || scale != null
                    || offset != null) {
                throw new ModelFormatException(name + ": a codebook embedding needs a codebook of rows × 2^codeBits = "
                        + rows + " × " + (1 << codeBits) + " entries and no scale/offset");
            }
            codebook = codebook.clone();
        }
        LayerChecks.checkAccumulatorBits(name, accumulatorBits);
        decode(
                name, rows, dim, codeBits, kind, codes, scale, offset,
                codebook); // every entry must decode within 64 bits
    }

    /** The decoded table {@code v[r][d]}, row-major {@code [R][D]}, computed with overflow-checked arithmetic. */
    public long[] decoded() {
        return decode(name, rows, dim, codeBits, kind, codes, scale, offset, codebook);
    }

    private static long[] decode(
            String name,
            int rows,
            int dim,
            int codeBits,
            Kind kind,
            int[] codes,
            long[] scale,
            long[] offset,
            long[] codebook) {
        long[] v = new long[codes.length];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dim; d++) {
                int c = codes[r * dim + d];
                try {
                    v[r * dim + d] = kind == Kind.AFFINE
                            ? Math.addExact(Math.multiplyExact(scale[r], (long) c), offset[r])
                            : codebook[(r << codeBits) + c];
                } catch (ArithmeticException e) {
                    throw new ModelFormatException(name + ": row " + r + " decodes beyond the 64-bit range", e);
                }
            }
        }
        return v;
    }

    @Override
    public int[] codes() {
        return codes.clone();
    }

    @Override
    public long[] scale() {
        return scale == null ? null : scale.clone();
    }

    @Override
    public long[] offset() {
        return offset == null ? null : offset.clone();
    }

    @Override
    public long[] codebook() {
        return codebook == null ? null : codebook.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "embedding";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        TensorInfo x = in.get(0);
        ModelOp.requireKind(x, TensorKind.INT, field, input);
        if (x.shape().length != 1) {
            throw new ModelFormatException(field + ": input '" + input + "' has shape " + Shapes.toString(x.shape())
                    + ", expected a rank-1 index vector");
        }
        return new TensorInfo(new int[] {dim}, TensorKind.INT);
    }
}
