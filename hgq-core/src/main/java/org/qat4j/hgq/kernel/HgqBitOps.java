package org.qat4j.hgq.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.qat4j.core.engine.NativeArrays;

/**
 * Operations on HGQ's bit-width tensors (arXiv 2405.00645, §4.1: bit widths are trained as floats and
 * rounded in the forward with an identity gradient). The fixed-point arithmetic itself (rounding,
 * overflow, the surrogate gradient) lives in {@code org.qat4j.core.fixed.FixedPointOps}.
 */
public final class HgqBitOps {

    private HgqBitOps() {}

    /** {@code 2^bits}, exact for integer-valued bits (checked exhaustively in the tests). */
    public static NDArray pow2(NDArray bits) {
        return NativeArrays.full(bits.getManager(), 2, bits.getDataType()).pow(bits);
    }

    /**
     * A scalar in native (engine-owned) memory.
     *
     * @deprecated use {@link NativeArrays#full(NDManager, double, DataType)}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static NDArray scalar(NDManager manager, double value, DataType dataType) {
        return NativeArrays.full(manager, value, dataType);
    }

    /**
     * Rounds bits to integers (half to even, as the exported formats do) in the forward pass and passes
     * the gradient through unchanged: {@code b + stopgrad(round(b) − b)}, exactly {@code round(b)} because
     * {@code round(b) − b} is exact.
     */
    public static NDArray roundStraightThrough(NDArray bits) {
        return bits.add(bits.round().subi(bits).stopGradient());
    }

    /**
     * Bit lengths {@code floor(log2(m² + 1/4) / 2) + 1} of integer mantissas: the significant bits
     * {@code floor(log2|m|) + 1} of {@code |m| ≥ 1} (since {@code m² + 1/4 < 4^(floor(log2|m|)+1)}) and
     * 0 for {@code m = 0}, with no mask and no absolute value: the mantissas are squared in place, so they
     * are consumed. No gradient. Taken on m rather than on the quantized value because log2 of small
     * floats is about ten times slower on CPU. An estimate: float32 rounding of m² and log2 can round up
     * just below a power of two for {@code |m| ≥ 2^17}.
     *
     * @param mantissas integer-valued array, no gradient, overwritten
     * @return the bit lengths, mantissas' type and manager
     */
    public static NDArray bitLengthsConsuming(NDArray mantissas) {
        NDArray logSquare = mantissas.muli(mantissas).addi(0.25f).log2();
        return logSquare.muli(0.5f).floor().addi(1f);
    }
}
