package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Exact fixed-point quantization {@code O(R(x * 2^f)) * 2^-f} (HGQ, arXiv 2405.00645, Section 3) on
 * float64 NDArrays, element for element equal to the pure-Java {@code FixedPoint.quantize}.
 *
 * <p>Why it is exact: {@code y = x * 2^f} is a power-of-two scaling, exact in float64 for a float32 x
 * (|f| &lt;= 64); for a float64 x, inputs of magnitude at least 2^120 are handled apart and a negative x
 * that underflows to zero is kept negative. A float32 y has at most 24 significant bits, so
 * {@code y +- 1/2} is exact in float64 whenever {@code |y| >= 2^-29}, and below that every rule gives the
 * same integer as for the exact sum: the float32 path may use {@code floor(y + 1/2)} and friends. A
 * float64 y may not (its {@code y + 1/2} can round up to the next integer), so that path decides ties by
 * comparing y with the exact midpoint {@code floor(y) + 1/2}. Clip bounds, wrap periods and mantissas
 * stay below 2^53.
 *
 * <p>A float64 input of magnitude at least 2^120 is a multiple of 2^68, hence of {@code 2^(k+i)} for
 * every supported format: it wraps to 0, saturates like 2^120, and lies on every supported grid.
 */
final class ExactQuantizationKernel {

    /** Beyond this magnitude a float64 input is a multiple of every supported wrap period. */
    static final double HUGE = 0x1p120;

    private ExactQuantizationKernel() {}

    /**
     * The quantized values (float64) and, for saturating modes, which elements the clip bounds hold.
     *
     * @param value the quantized values, float64, +0.0 for zero
     * @param clippedHigh elements with {@code x > 2^i_eff - 2^-f}, or null when not saturating or not asked
     * @param clippedLow elements below the lower clip bound, or null when not saturating or not asked
     */
    record Result(NDArray value, NDArray clippedHigh, NDArray clippedLow) {}

    /**
     * Quantizes every element.
     *
     * @param x64 the input as float64, detached, in the scope manager
     * @param bits the rounded, validated formats
     * @param rounding the rounding rule (ignored when {@code uniform} is given)
     * @param overflow the overflow rule, or null for none (values pass unbounded, training WRAP)
     * @param uniform draws {@code u ~ U[0,1)} of x's shape for stochastic rounding, or null
     * @param float64Input whether the caller's x was float64
     * @param wantClipMasks whether to report which elements saturation clips (for gradients)
     * @return the result
     */
    static Result quantize(
            NDArray x64,
            BitFormats bits,
            RoundingMode rounding,
            OverflowMode overflow,
            NDArray uniform,
            boolean float64Input,
            boolean wantClipMasks) {
        boolean saturating = overflow == OverflowMode.SAT || overflow == OverflowMode.SAT_SYM;
        NDArray huge = null;
        NDArray xs = x64;
        if (saturating) {
            xs = NativeArrays.clip(x64, -HUGE, HUGE);
        } else if (float64Input) {
            huge = x64.abs().gte(HUGE);
            xs = NDArrays.where(huge, x64.zerosLike(), x64);
        }
        NDArray y = xs.mul(bits.scale());
        if (float64Input) {
            // a tiny negative x may underflow to -0.0; -1/4 rounds like it in every mode
            NDArray underflow = y.eq(0).logicalAnd(xs.lt(0));
            y = NDArrays.where(underflow, y.zerosLike().sub(0.25), y);
        }
        NDArray m;
        if (uniform != null) {
            m = roundStochastically(y, uniform);
        } else if (float64Input) {
            m = roundExactly(y, rounding);
        } else {
            m = roundFloat32Origin(y, rounding);
        }

        NDArray clippedHigh = null;
        NDArray clippedLow = null;
        NDArray live = null;
        if (saturating) {
            boolean symmetric = overflow == OverflowMode.SAT_SYM;
            if (wantClipMasks) {
                clippedHigh = y.gt(bits.maxMantissa());
                clippedLow = y.lt(bits.minMantissa(symmetric));
            }
            // a pruned element clips to [0, 0]
            m = m.maximum(bits.clipLow(symmetric)).minimum(bits.clipHigh());
        } else {
            if (overflow == OverflowMode.WRAP) {
                m = wrap(m, bits);
            }
            live = bits.live();
            m = m.mul(live);
        }
        NDArray value = m.mul(bits.step());
        if (huge != null && overflow == null) {
            value = NDArrays.where(huge, x64.mul(live), value);
        }
        // -0.0 + +0.0 == +0.0: the pure-Java path returns +0.0 for a zero mantissa
        return new Result(value.add(0.0), clippedHigh, clippedLow);
    }

    /**
     * Rounds a float64 y that came from a float32 x by the usual float formulas, which are exact here
     * (see the class comment): RND {@code floor(y + 1/2)}, RND_MIN_INF {@code ceil(y - 1/2)}, RND_CONV
     * IEEE round-half-even, and the sign-symmetric rules on {@code |y|}.
     */
    static NDArray roundFloat32Origin(NDArray y, RoundingMode rounding) {
        switch (rounding) {
            case TRN:
                return y.floor();
            case RND:
                return y.add(0.5).floor();
            case RND_MIN_INF:
                return y.sub(0.5).ceil();
            case RND_CONV:
                return y.round();
            case TRN_ZERO:
                return y.trunc();
            case RND_INF:
                return y.abs().add(0.5).floor().mul(y.sign());
            case RND_ZERO:
                return y.abs().sub(0.5).ceil().mul(y.sign());
            default:
                throw new IllegalArgumentException("unsupported rounding mode " + rounding);
        }
    }

    /**
     * Rounds any float64 y exactly (see {@link ScaledRounding#exactly}); RND_CONV decides its ties on the
     * midpoint too, so that float64 values beyond 2^52 stay on the exact path.
     */
    static NDArray roundExactly(NDArray y, RoundingMode rounding) {
        if (rounding != RoundingMode.RND_CONV) {
            return ScaledRounding.exactly(y, rounding);
        }
        NDArray fl = y.floor();
        NDArray fractional = y.neq(fl);
        NDArray mid = fl.add(0.5);
        NDArray up = y.gt(mid).logicalOr(y.eq(mid).logicalAnd(ScaledRounding.isOdd(fl)));
        return fl.add(up.logicalAnd(fractional).toType(DataType.FLOAT64, false));
    }

    /** {@code floor(y) + [u < y - floor(y)]}: unbiased, always on the floor or the next grid point. */
    static NDArray roundStochastically(NDArray y, NDArray uniform) {
        NDArray fl = y.floor();
        NDArray up = uniform.lt(y.sub(fl));
        return fl.add(up.toType(DataType.FLOAT64, false));
    }

    /**
     * Two's-complement wrap into width B: {@code r = m - 2^B * floor(m / 2^B)} lies in [0, 2^B) and is
     * exact (a representable difference of exact doubles); signed formats then move
     * {@code r >= 2^(B-1)} down by 2^B.
     */
    private static NDArray wrap(NDArray m, BitFormats bits) {
        NDArray residue = m.sub(m.mul(bits.wrapInversePeriod()).floor().mul(bits.wrapPeriod()));
        return residue.sub(
                residue.gte(bits.wrapHalf()).toType(DataType.FLOAT64, false).mul(bits.wrapShift()));
    }
}
