package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Exact fixed-point quantization {@code O(R(x * 2^f)) * 2^-f} (HGQ, arXiv 2405.00645, Section 3) on
 * float64 NDArrays, element for element equal to the pure-Java {@code FixedPoint.quantize}.
 *
 * <p>Why it is exact: {@code y = x * 2^f} is a power-of-two scaling (exact for a float32 input; for a
 * float64 input inputs of magnitude at least 2^120 are handled apart, and a negative input that
 * underflows to zero is kept negative); {@code floor(y)} and {@code floor(y) + 1/2} are exact for every
 * non-integer y, so ties are decided by comparing y with the exact midpoint, never through a rounded
 * {@code y + 0.5}; clip bounds, wrap periods and mantissas stay below 2^53.
 *
 * <p>Inputs of magnitude at least 2^120 are multiples of 2^68 (even in float64), hence of
 * {@code 2^(k+i)} for every supported format: they wrap to 0, saturate like 2^120, and lie on every
 * supported grid.
 */
final class ExactQuantizationKernel {

    /** Beyond this magnitude an input is a multiple of every supported wrap period. */
    static final double HUGE = 0x1p120;

    private ExactQuantizationKernel() {
    }

    /**
     * The quantized values (float64) and, for saturating modes, which elements the clip bounds hold.
     *
     * @param value the quantized values, float64, +0.0 for zero
     * @param clippedHigh elements with {@code x > 2^i_eff - 2^-f}, or null when not saturating
     * @param clippedLow elements below the lower clip bound, or null when not saturating
     * @param effectiveI {@code max(i, -f)} (HGQ2's clamp), float64
     */
    record Result(NDArray value, NDArray clippedHigh, NDArray clippedLow, NDArray effectiveI) {
    }

    /**
     * Quantizes every element.
     *
     * @param x64 the input as float64, detached, in the scope manager
     * @param bits the rounded, validated bits
     * @param rounding the rounding rule (ignored when {@code uniform} is given)
     * @param overflow the overflow rule, or null for none (values pass unbounded, training WRAP)
     * @param uniform draws {@code u ~ U[0,1)} of x's shape for stochastic rounding, or null
     * @param float64Input whether the caller's x was float64 (only then can {@code x * 2^f} underflow)
     * @return the result
     */
    static Result quantize(NDArray x64, RoundedBits bits, RoundingMode rounding, OverflowMode overflow,
            NDArray uniform, boolean float64Input) {
        boolean saturating = overflow == OverflowMode.SAT || overflow == OverflowMode.SAT_SYM;
        NDArray huge = x64.abs().gte(HUGE);
        NDArray xs = saturating
                ? x64.clip(-HUGE, HUGE)
                : NDArrays.where(huge, x64.zerosLike(), x64);
        NDArray y = xs.mul(PowersOfTwo.exp2(bits.f()));
        if (float64Input) {
            // a tiny negative x may underflow to -0.0; -1/4 rounds like it in every mode
            NDArray underflow = y.eq(0).logicalAnd(xs.lt(0));
            y = NDArrays.where(underflow, y.zerosLike().sub(0.25), y);
        }
        NDArray m = uniform == null ? roundToInteger(y, rounding) : roundStochastically(y, uniform);

        NDArray effectiveI = bits.i().maximum(bits.f().neg());
        NDArray clippedHigh = null;
        NDArray clippedLow = null;
        if (saturating) {
            NDArray top = PowersOfTwo.exp2(effectiveI.add(bits.f())); // 2^(i_eff + f), at most 2^53
            NDArray hi = top.sub(1);
            NDArray lo = overflow == OverflowMode.SAT_SYM ? bits.k().mul(hi).neg() : bits.k().mul(top).neg();
            clippedHigh = y.gt(hi);
            clippedLow = y.lt(lo);
            m = m.maximum(lo).minimum(hi);
        } else if (overflow == OverflowMode.WRAP) {
            m = wrap(m, bits);
        }
        // DJL's where needs the condition in the shape of its first branch
        NDArray zeroWidth = bits.width().lte(0).broadcast(m.getShape());
        m = NDArrays.where(zeroWidth, m.zerosLike(), m);
        NDArray value = m.mul(PowersOfTwo.exp2(bits.f().neg()));
        if (overflow == null) {
            value = NDArrays.where(huge.logicalAnd(zeroWidth.logicalNot()), x64, value);
        }
        // -0.0 + +0.0 == +0.0: the pure-Java path returns +0.0 for a zero mantissa
        return new Result(value.add(0.0), clippedHigh, clippedLow, effectiveI);
    }

    /**
     * Rounds every y to an integer by {@code rounding}, exactly: ties are decided by
     * {@code y} against the midpoint {@code floor(y) + 1/2}, which is exact for every non-integer y.
     */
    static NDArray roundToInteger(NDArray y, RoundingMode rounding) {
        NDArray fl = y.floor();
        if (rounding == RoundingMode.TRN) {
            return fl;
        }
        NDArray fractional = y.neq(fl);
        NDArray mid = fl.add(0.5);
        NDArray up;
        switch (rounding) {
            case TRN_ZERO:
                up = y.lt(0);
                break;
            case RND:
                up = y.gte(mid);
                break;
            case RND_MIN_INF:
                up = y.gt(mid);
                break;
            case RND_CONV:
                up = y.gt(mid).logicalOr(y.eq(mid).logicalAnd(isOdd(fl)));
                break;
            case RND_ZERO:
                up = y.gt(mid).logicalOr(y.eq(mid).logicalAnd(y.lt(0)));
                break;
            case RND_INF:
                up = y.gt(mid).logicalOr(y.eq(mid).logicalAnd(y.gte(0)));
                break;
            default:
                throw new IllegalArgumentException("unsupported rounding mode " + rounding);
        }
        return fl.add(up.logicalAnd(fractional).toType(DataType.FLOAT64, false));
    }

    /** {@code floor(y) + [u < y - floor(y)]}: unbiased, always on the floor or the next grid point. */
    static NDArray roundStochastically(NDArray y, NDArray uniform) {
        NDArray fl = y.floor();
        NDArray up = uniform.lt(y.sub(fl));
        return fl.add(up.toType(DataType.FLOAT64, false));
    }

    private static NDArray isOdd(NDArray integer) {
        // exact for |integer| < 2^53; larger integers are never ties
        return integer.sub(integer.mul(0.5).floor().mul(2)).eq(1);
    }

    /**
     * Two's-complement wrap into width B: {@code r = m - 2^B * floor(m / 2^B)} lies in [0, 2^B) and is
     * exact (a representable difference of exact doubles); signed formats then move
     * {@code r >= 2^(B-1)} down by 2^B.
     */
    private static NDArray wrap(NDArray m, RoundedBits bits) {
        NDArray width = bits.width();
        NDArray period = PowersOfTwo.exp2(width);
        NDArray residue = m.sub(m.mul(PowersOfTwo.exp2(width.neg())).floor().mul(period));
        NDArray half = PowersOfTwo.exp2(width.sub(1));
        NDArray shift = residue.gte(half).toType(DataType.FLOAT64, false).mul(bits.k()).mul(period);
        return residue.sub(shift);
    }
}
