package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Rounding rules of HGQ (arXiv 2405.00645, Section 3) applied to a scaled value {@code y = x * 2^f}, exact
 * for every finite y in float32 and float64 alike: no rule forms {@code y + 1/2} (which rounds up to the
 * next integer just below one half, and at odd integers beyond 2^23 in float32).
 *
 * <p>Why the rules are exact: {@code floor}, {@code round} (ties to even) and {@code trunc} are exact; the
 * midpoint {@code floor(y) + 1/2} is exact whenever y has a fraction (then {@code |y|} is below 2^23 in
 * float32, 2^52 in float64); and {@code y - round(y)} is exact because it is either y itself
 * ({@code round(y) = 0}) or the difference of two numbers within a factor of two of each other (Sterbenz).
 */
final class ScaledRounding {

    private ScaledRounding() {}

    /**
     * RND, {@code floor(y + 1/2)} computed as {@code round(y) + [y - round(y) = 1/2]}: ties to even miss
     * exactly the ties whose lower neighbour is even, which the second term moves up. The indicator is
     * computed in y's storage without a boolean array: {@code u = 2 (y - round(y)) - 1} lies in [-2, 0]
     * and is 0 exactly at a missed tie ({@code 2d - 1} is exact for {@code 2d} in [1/2, 1], and below that
     * it stays under -1/2), so {@code sign(u) + 1} is the indicator. One array allocated; y is overwritten.
     *
     * @param y the scaled values, finite, consumed
     * @return the rounded values, y's type
     */
    static NDArray halfUpConsuming(NDArray y) {
        NDArray r = y.round();
        NDArray missedTie = y.subi(r).muli(2f).subi(1f).signi().addi(1f);
        return r.addi(missedTie);
    }

    /**
     * RND as {@link #halfUpConsuming}, with a boolean indicator: fewer operations, one more array. y is
     * overwritten.
     *
     * @param y the scaled values, consumed
     * @return the rounded values, y's type
     */
    static NDArray halfUp(NDArray y) {
        NDArray r = y.round();
        return r.addi(y.subi(r).eq(0.5));
    }

    /**
     * Any rule, exactly; ties are decided by y against the midpoint {@code floor(y) + 1/2}.
     *
     * @param y the scaled values (left unchanged)
     * @param rounding the rule
     * @return the rounded values, y's type
     */
    static NDArray exactly(NDArray y, RoundingMode rounding) {
        switch (rounding) {
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
        NDArray fractional = y.neq(fl);
        NDArray mid = fl.add(0.5);
        NDArray up;
        switch (rounding) {
            case RND:
                up = y.gte(mid);
                break;
            case RND_MIN_INF:
                up = y.gt(mid);
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
        return fl.add(up.logicalAnd(fractional).toType(y.getDataType(), false));
    }

    /** Whether an integer-valued array is odd; exact below 2^24 (float32) or 2^53 (float64), where ties end. */
    static NDArray isOdd(NDArray integer) {
        return integer.sub(NativeArrays.mul(NativeArrays.mul(integer, 0.5).floor(), 2))
                .eq(1);
    }
}
