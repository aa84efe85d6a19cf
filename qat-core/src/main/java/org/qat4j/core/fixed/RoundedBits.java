package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Bit widths {@code (k, i, f)} rounded to integers in float64, as used by the forward of HGQ's
 * quantizer (arXiv 2405.00645, Section 4: bit parameters are stored as floats and rounded in the
 * forward). Rounding is half up, {@code floor(b) + [b >= floor(b) + 1/2]}, decided exactly.
 *
 * <p>Supported: {@code k} in {0, 1}, {@code |i|, |f| <= 64}, and width {@code k + i + f <= 53}, so
 * that every mantissa, clip bound and wrap residue is an exact float64 integer.
 *
 * @param k sign bits, float64
 * @param i integer bits, float64
 * @param f fractional bits, float64
 * @param width {@code k + i + f}, broadcast shape of the three
 * @param powersOfTwo the exact power-of-two lookup of this call's scope
 */
record RoundedBits(NDArray k, NDArray i, NDArray f, NDArray width, PowersOfTwo powersOfTwo) {

    static final int MAX_ABS_BITS = 64;
    static final int MAX_WIDTH = 53;

    /**
     * Rounds bit arrays (detached from any gradient); the arrays must be attached to {@code scope}.
     *
     * @param scope the manager of the call
     * @param k sign bits
     * @param i integer bits
     * @param f fractional bits
     * @return the rounded bits
     */
    static RoundedBits of(NDManager scope, NDArray k, NDArray i, NDArray f) {
        NDArray kr = roundHalfUp(k);
        NDArray ir = roundHalfUp(i);
        NDArray fr = roundHalfUp(f);
        return new RoundedBits(kr, ir, fr, kr.add(ir).add(fr), new PowersOfTwo(scope));
    }

    /**
     * Rounds half up exactly. A float32 (or integer) b plus 1/2 is exact in float64 unless |b| &lt; 2^-29,
     * where the floor is 0 either way; a float64 b is compared with its exact midpoint
     * {@code floor(b) + 1/2} instead, because {@code b + 1/2} can round up to the next integer.
     */
    static NDArray roundHalfUp(NDArray bits) {
        boolean float64 = bits.getDataType() == DataType.FLOAT64;
        NDArray b = bits.stopGradient().toType(DataType.FLOAT64, false);
        if (!float64) {
            return b.add(0.5).floor();
        }
        NDArray fl = b.floor();
        NDArray up = b.gte(fl.add(0.5)).logicalAnd(b.neq(fl));
        return fl.add(up.toType(DataType.FLOAT64, false));
    }

    /**
     * Returns four float64 scalars whose host values decide validity (see {@link #isValid}): the largest
     * {@code |i|}, the largest {@code |f|}, the largest width and the largest {@code |k (k - 1)|}; NaN
     * propagates through each maximum.
     *
     * @return the scalars, to be fetched in one transfer
     */
    NDList validitySummary() {
        return new NDList(i.abs().max(), f.abs().max(), width.max(), k.mul(k.sub(1)).abs().max());
    }

    /**
     * Decides validity from the host values of {@link #validitySummary()}.
     *
     * @param summary the four values, in order
     * @return true when every element is supported
     */
    static boolean isValid(double[] summary) {
        return summary[0] <= MAX_ABS_BITS && summary[1] <= MAX_ABS_BITS && summary[2] <= MAX_WIDTH
                && summary[3] == 0;
    }

    /**
     * Throws an {@link IllegalArgumentException} naming the first invalid parameter, its value and its
     * index; call only when {@link #isValid} was false.
     *
     * @param rawK the caller's k
     * @param rawI the caller's i
     * @param rawF the caller's f
     */
    void throwInvalid(NDArray rawK, NDArray rawI, NDArray rawF) {
        checkOne("k", badK(), rawK, "0 or 1");
        checkOne("i", badMagnitude(i), rawI, "an integer in [-" + MAX_ABS_BITS + ", " + MAX_ABS_BITS + "]");
        checkOne("f", badMagnitude(f), rawF, "an integer in [-" + MAX_ABS_BITS + ", " + MAX_ABS_BITS + "]");
        NDArray bad = badWidth();
        long at = firstTrue(bad);
        if (at >= 0) {
            Shape shape = bad.getShape();
            double kv = k.broadcast(shape).toDoubleArray()[(int) at];
            double iv = i.broadcast(shape).toDoubleArray()[(int) at];
            double fv = f.broadcast(shape).toDoubleArray()[(int) at];
            throw new IllegalArgumentException("FixedPointOps: width k + i + f must be at most " + MAX_WIDTH
                    + " (mantissas exact in float64), got " + (long) (kv + iv + fv) + " (k=" + (long) kv
                    + ", i=" + (long) iv + ", f=" + (long) fv + ") at " + index(shape, at) + " of shape " + shape);
        }
        throw new IllegalStateException("throwInvalid called on valid bits");
    }

    private NDArray badK() {
        return k.eq(0).logicalOr(k.eq(1)).logicalNot();
    }

    private static NDArray badMagnitude(NDArray bits) {
        return bits.abs().lte(MAX_ABS_BITS).logicalNot();
    }

    private NDArray badWidth() {
        // NaN widths are reported through k, i or f
        return width.gt(MAX_WIDTH);
    }

    private static void checkOne(String name, NDArray bad, NDArray raw, String expected) {
        long at = firstTrue(bad);
        if (at >= 0) {
            double value = raw.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray()[(int) at];
            throw new IllegalArgumentException("FixedPointOps: " + name + " must round (half up) to " + expected
                    + ", got " + value + " at " + index(bad.getShape(), at) + " of shape " + bad.getShape());
        }
    }

    private static long firstTrue(NDArray flags) {
        boolean[] values = flags.toBooleanArray();
        for (int n = 0; n < values.length; n++) {
            if (values[n]) {
                return n;
            }
        }
        return -1;
    }

    private static String index(Shape shape, long flat) {
        long[] idx = new long[shape.dimension()];
        long rest = flat;
        for (int d = idx.length - 1; d >= 0; d--) {
            idx[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        return "index " + Arrays.toString(idx);
    }
}
