package org.qat4j.hgq.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Stateless fixed-point kernels on NDArrays for HGQ (arXiv 2405.00645, §3.1 and §4.1): the exact
 * inference quantizer and the training quantizer with the surrogate gradient of the fractional bits.
 *
 * <p>A value x with format (k, i, f) is quantized to {@code xq = R(x·2^f)·2^-f}, with R one of the
 * named rounding modes applied to the scaled value and the mantissa then saturated or wrapped into
 * {@code [-k·2^(i+f), 2^(i+f) − 1]}. Every step is exact in binary floating point: scaling by a power of
 * two is exact; the fraction {@code y − floor(y)} is exact except for y in (−0.5, 0), where it can
 * round up to 0.5 or 1 and the tie rules correct for it, so ties are decided on exact values (no
 * {@code floor(y + 0.5)} float trap); and the mantissa is an integer below 2^24 (float32) or 2^53
 * (float64).
 *
 * <p>Training ({@link #fakeQuantize}): straight-through for x, and
 * {@code xq = x + stopgrad((m − y))·2^-f} so that autograd yields {@code ∂xq/∂f = −ln2·(xq − x)}
 * (paper eq. 6). Bit arrays are rounded half-to-even in the forward with identity gradient. The
 * training forward equals the exact quantizer except, for RND, at the one float just below each
 * rounding tie's lower neighbour 0.5·2^-f (see {@link #roundScaledForTraining}).
 */
public final class HgqQuantKernel {

    private HgqQuantKernel() {}

    /** {@code 2^bits}, exact for integer-valued bits (checked exhaustively in the tests). */
    public static NDArray pow2(NDArray bits) {
        return scalar(bits.getManager(), 2, bits.getDataType()).pow(bits);
    }

    /**
     * A scalar in native (engine-owned) memory. Use it instead of a {@code Number} operand wherever
     * autograd saves the operand for the backward pass (mul, div, pow, maximum): DJL's PyTorch engine
     * wraps {@code Number} operands around Java buffers that may be freed once the temporary array is
     * closed, which happens before the backward pass.
     */
    public static NDArray scalar(NDManager manager, double value, DataType dataType) {
        return manager.full(new ai.djl.ndarray.types.Shape(), (float) value, dataType);
    }

    /** Rounds bits to integers in the forward pass and passes the gradient through unchanged. */
    public static NDArray roundStraightThrough(NDArray bits) {
        return bits.add(bits.round().subi(bits).stopGradient());
    }

    /**
     * Rounds the scaled values y to integers with the given mode, exactly.
     *
     * @param y scaled values x·2^f
     * @param mode the rounding mode
     * @return integer-valued array of y's dtype
     */
    public static NDArray roundScaled(NDArray y, RoundingMode mode) {
        switch (mode) {
            case TRN:
                return y.floor();
            case RND_CONV:
                return y.round();
            case TRN_ZERO:
                return y.trunc();
            default:
                break;
        }
        NDArray fl = y.floor();
        NDArray frac = y.sub(fl);
        NDArray up;
        switch (mode) {
            case RND:
                up = frac.gte(0.5);
                break;
            case RND_MIN_INF:
                // frac is inexact only for y in (−0.5, 0), where it may round to 0.5; the answer there is 0
                up = frac.gt(0.5).logicalOr(frac.eq(0.5).logicalAnd(y.abs().lt(0.5)));
                break;
            case RND_INF:
                up = frac.gt(0.5).logicalOr(frac.eq(0.5).logicalAnd(y.gt(-0.5)));
                break;
            case RND_ZERO:
                up = frac.gt(0.5).logicalOr(frac.eq(0.5).logicalAnd(y.lt(0)));
                break;
            default:
                throw new IllegalArgumentException("unsupported rounding mode: " + mode);
        }
        return fl.add(up.toType(y.getDataType(), false));
    }

    /**
     * Exact inference quantizer: mantissa {@code m = O(R(x·2^f))}, returned as the value
     * {@code m·2^-f} in x's dtype. Elements with {@code k + i + f ≤ 0} are zero (pruned).
     *
     * @param x values
     * @param f integer-valued fractional bits, broadcastable to x
     * @param k sign bits (0/1), broadcastable to x; null for no overflow handling (unbounded)
     * @param i integer-valued integer bits, broadcastable to x; null for no overflow handling
     * @param rounding the rounding mode
     * @param overflow the overflow mode, ignored when k and i are null
     * @return quantized values, attached to x's manager
     */
    public static NDArray quantize(
            NDArray x, NDArray f, NDArray k, NDArray i, RoundingMode rounding, OverflowMode overflow) {
        NDArray scale = pow2(f);
        NDArray m = roundScaled(x.mul(scale), rounding);
        if (k == null || i == null) {
            return m.div(scale);
        }
        NDArray width = k.add(i).add(f);
        NDArray span = pow2(i.add(f)); // 2^(i+f): hi = span − 1, lo = −k·span
        NDArray hi = span.sub(1);
        NDArray lo = k.mul(span).neg();
        NDArray mo;
        switch (overflow) {
            case SAT:
                mo = m.maximum(lo).minimum(hi);
                break;
            case SAT_SYM:
                mo = m.maximum(k.mul(hi).neg()).minimum(hi);
                break;
            case WRAP:
                NDArray period = pow2(width);
                mo = m.sub(lo).mod(period).add(lo);
                break;
            default:
                throw new IllegalArgumentException("unsupported overflow mode: " + overflow);
        }
        NDArray xq = mo.div(scale);
        return xq.mul(width.gt(0).toType(x.getDataType(), false));
    }

    /**
     * Training quantizer without overflow handling (integer bits taken from data, HGQ v1): forward
     * equals {@link #quantize} with null k and i; {@code ∂xq/∂x = 1}, {@code ∂xq/∂f = −ln2·(xq − x)}.
     *
     * @param x values (may require gradients)
     * @param fBits fractional bits (float, may require gradients), broadcastable to x
     * @param rounding rounding mode
     * @return fake-quantized values
     */
    public static NDArray fakeQuantize(NDArray x, NDArray fBits, RoundingMode rounding) {
        return fakeQuantize(x, fBits, rounding, null);
    }

    /**
     * As {@link #fakeQuantize(NDArray, NDArray, RoundingMode)}, also handing out the detached integer
     * mantissas {@code m = R(x·2^f)} (for bit-count estimates) in {@code mantissaOut[0]} when non-null.
     * Written to allocate few large arrays: on sandboxed machines every fresh allocation of a
     * weight-sized array costs page faults that dominate the arithmetic.
     */
    public static NDArray fakeQuantize(NDArray x, NDArray fBits, RoundingMode rounding, NDArray[] mantissaOut) {
        NDArray fr = roundStraightThrough(fBits);
        NDArray step = halfPow(fr); // 2^-f, the only transcendental op; divisions by it are exact
        NDArray y = x.stopGradient().div(step.stopGradient());
        NDArray m = roundScaledForTraining(y, rounding);
        if (mantissaOut != null) {
            mantissaOut[0] = m;
        }
        NDArray residual = (mantissaOut != null ? m.sub(y) : m.subi(y)).stopGradient();
        // multiply by 2^-f rather than divide by 2^f: the backward pass of mul is one op cheaper
        return x.add(residual.mul(step));
    }

    /** {@code 2^-bits = 0.5^bits}, exact for integer-valued bits (checked exhaustively in the tests). */
    public static NDArray halfPow(NDArray bits) {
        return scalar(bits.getManager(), 0.5, bits.getDataType()).pow(bits);
    }

    /**
     * Rounding for the training graph. RND uses {@code floor(y + 0.5)} (two ops instead of five); it
     * differs from the exact rule only at the single float just below 0.5 (float32: 0.5 − 2^-25), where
     * {@code y + 0.5} rounds up to 1 — the reference's own training arithmetic. Evaluation, calibration
     * and export always use the exact {@link #roundScaled}.
     */
    static NDArray roundScaledForTraining(NDArray y, RoundingMode rounding) {
        if (rounding == RoundingMode.RND) {
            return y.add(0.5f).floor();
        }
        return roundScaled(y, rounding);
    }

    /**
     * Training quantizer with saturation and trainable integer bits (HGQ2): x is first clipped to
     * {@code [lo, hi]} with {@code hi = 2^i − 2^-f} and {@code lo = −k·2^i} (SAT) or {@code −k·hi}
     * (SAT_SYM); clipped elements pass their gradient to the bound, so
     * {@code ∂hi/∂i = ln2·2^i} and {@code ∂hi/∂f = ln2·2^-f}.
     */
    public static NDArray fakeQuantizeSaturating(
            NDArray x, NDArray k, NDArray iBits, NDArray fBits, RoundingMode rounding, OverflowMode overflow) {
        if (overflow == OverflowMode.WRAP) {
            throw new IllegalArgumentException(
                    "trainable integer bits need overflow SAT or SAT_SYM (WRAP has no gradient), got WRAP");
        }
        NDArray fr = roundStraightThrough(fBits);
        NDArray ir = roundStraightThrough(iBits);
        NDArray step = pow2(fr.neg());
        NDArray hi = pow2(ir).sub(step);
        NDArray lo = overflow == OverflowMode.SAT ? pow2(ir).mul(k).neg() : hi.mul(k).neg();
        NDArray clipped = x.maximum(lo).minimum(hi);
        NDArray scale = pow2(fr);
        NDArray y = clipped.stopGradient().mul(scale.stopGradient());
        NDArray residual = roundScaled(y, rounding).sub(y).stopGradient();
        return clipped.add(residual.div(scale));
    }
}
