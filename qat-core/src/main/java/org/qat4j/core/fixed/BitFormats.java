package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.qat4j.core.engine.NativeArrays;

/**
 * Per-element fixed-point formats {@code (k, i, f)} read from bit arrays, rounded half up and validated
 * on the host, in the arrays' common broadcast shape (HGQ, arXiv 2405.00645, Section 4: bit parameters
 * are stored as floats and rounded in the forward).
 *
 * <p>Supported: {@code k} in {0, 1}, {@code |i|, |f| <= 64} and width {@code k + i + f <= 53}, so that
 * every mantissa, clip bound and wrap residue is an exact float64 integer. Everything derived from the
 * bits alone (powers of two, clip bounds, the bounds' derivatives) is computed here in exact Java
 * arithmetic and handed to the engine as small float64 arrays: a handful of transfers instead of dozens
 * of tiny engine operations per call.
 */
final class BitFormats {

    static final int MAX_ABS_BITS = 64;
    static final int MAX_WIDTH = 53;

    private final NDManager scope;
    private final Shape shape;
    private final int[] k;
    private final int[] i;
    private final int[] f;
    private final boolean unbounded;

    private BitFormats(NDManager scope, Shape shape, int[] k, int[] i, int[] f, boolean unbounded) {
        this.scope = scope;
        this.shape = shape;
        this.k = k;
        this.i = i;
        this.f = f;
        this.unbounded = unbounded;
    }

    /**
     * Reads, rounds half up and validates fractional bits alone, for quantization without overflow handling:
     * no element is pruned ({@link #live()} is 1 everywhere); the bounds and wrap arrays are not defined.
     *
     * @param scope the manager that receives every array made from the formats
     * @param f fractional bits
     * @return the formats
     * @throws IllegalArgumentException naming f, its value and index when it is not an integer in [-64, 64]
     */
    static BitFormats readUnbounded(NDManager scope, NDArray f) {
        Shape shape = commonShape(f.getShape());
        double[] rawF = hostValues(f, shape);
        int[] fr = new int[rawF.length];
        for (int e = 0; e < fr.length; e++) {
            double fv = roundHalfUp(rawF[e]);
            if (!(Math.abs(fv) <= MAX_ABS_BITS)) {
                throw invalid("f", "an integer in [-" + MAX_ABS_BITS + ", " + MAX_ABS_BITS + "]", rawF[e], e, shape);
            }
            fr[e] = (int) fv;
        }
        return new BitFormats(scope, shape, new int[fr.length], new int[fr.length], fr, true);
    }

    /**
     * Reads, rounds half up and validates the bits.
     *
     * @param scope the manager that receives every array made from the formats
     * @param k sign bits
     * @param i integer bits
     * @param f fractional bits
     * @return the formats
     * @throws IllegalArgumentException naming the parameter, its value and index when a format is not
     *     supported (NaN included)
     */
    static BitFormats read(NDManager scope, NDArray k, NDArray i, NDArray f) {
        Shape shape = commonShape(k.getShape(), i.getShape(), f.getShape());
        double[] rawK = hostValues(k, shape);
        double[] rawI = hostValues(i, shape);
        double[] rawF = hostValues(f, shape);
        int n = rawK.length;
        int[] kr = new int[n];
        int[] ir = new int[n];
        int[] fr = new int[n];
        for (int e = 0; e < n; e++) {
            double kv = roundHalfUp(rawK[e]);
            double iv = roundHalfUp(rawI[e]);
            double fv = roundHalfUp(rawF[e]);
            if (kv != 0 && kv != 1) {
                throw invalid("k", "0 or 1", rawK[e], e, shape);
            }
            if (!(Math.abs(iv) <= MAX_ABS_BITS)) {
                throw invalid("i", "an integer in [-" + MAX_ABS_BITS + ", " + MAX_ABS_BITS + "]", rawI[e], e, shape);
            }
            if (!(Math.abs(fv) <= MAX_ABS_BITS)) {
                throw invalid("f", "an integer in [-" + MAX_ABS_BITS + ", " + MAX_ABS_BITS + "]", rawF[e], e, shape);
            }
            kr[e] = (int) kv;
            ir[e] = (int) iv;
            fr[e] = (int) fv;
            int width = kr[e] + ir[e] + fr[e];
            if (width > MAX_WIDTH) {
                throw new IllegalArgumentException("FixedPointOps: width k + i + f must be at most " + MAX_WIDTH
                        + " (mantissas exact in float64), got " + width + " (k=" + kr[e] + ", i=" + ir[e] + ", f="
                        + fr[e] + ") at " + index(shape, e) + " of shape " + shape);
            }
        }
        return new BitFormats(scope, shape, kr, ir, fr, false);
    }

    /**
     * Rounds half up exactly: {@code floor(b) + [b >= floor(b) + 1/2]}, where the midpoint is exact for
     * every non-integer b (unlike {@code b + 1/2}, which can round up to the next integer).
     */
    static double roundHalfUp(double b) {
        double fl = Math.floor(b);
        return b != fl && b >= fl + 0.5 ? fl + 1 : fl;
    }

    /** {@code 2^f}. */
    NDArray scale() {
        return array(e -> Math.scalb(1.0, f[e]));
    }

    /** {@code 2^-f}, the grid step. */
    NDArray step() {
        return array(e -> Math.scalb(1.0, -f[e]));
    }

    /** 1 where the element has bits ({@code k + i + f > 0}), 0 where it is pruned. */
    NDArray live() {
        return array(e -> isLive(e) ? 1.0 : 0.0);
    }

    /** The largest mantissa {@code 2^(i_eff + f) - 1} with HGQ2's {@code i_eff = max(i, -f)}. */
    NDArray maxMantissa() {
        return array(this::hi);
    }

    /** The smallest mantissa: {@code -k 2^(i_eff + f)}, or {@code -k (2^(i_eff + f) - 1)} for SAT_SYM. */
    NDArray minMantissa(boolean symmetric) {
        return array(e -> lo(e, symmetric));
    }

    /** The clip bounds of the exact forward: as above, and [0, 0] for a pruned element. */
    NDArray clipHigh() {
        return array(e -> isLive(e) ? hi(e) : 0.0);
    }

    /** The lower clip bound of the exact forward, 0 for a pruned element. */
    NDArray clipLow(boolean symmetric) {
        return array(e -> isLive(e) ? lo(e, symmetric) : 0.0);
    }

    /** {@code 2^B} for the wrap of width {@code B = k + i + f} (1 for a pruned element). */
    NDArray wrapPeriod() {
        return array(e -> Math.scalb(1.0, Math.max(width(e), 0)));
    }

    /** {@code 2^-B} (1 for a pruned element). */
    NDArray wrapInversePeriod() {
        return array(e -> Math.scalb(1.0, -Math.max(width(e), 0)));
    }

    /** {@code 2^(B-1)}: a signed residue at or above it moves down by {@code 2^B}. */
    NDArray wrapHalf() {
        return array(e -> Math.scalb(1.0, Math.max(width(e), 0) - 1));
    }

    /** {@code k 2^B}: the shift of a signed residue in the upper half. */
    NDArray wrapShift() {
        return array(e -> k[e] * Math.scalb(1.0, Math.max(width(e), 0)));
    }

    /** {@code d max / d f = ln2 2^-f}, the upper bound's derivative for f. */
    NDArray upperBoundForF(double ln2) {
        return array(e -> Math.scalb(ln2, -f[e]));
    }

    /** {@code d min / d f = -k ln2 2^-f} for SAT_SYM (+0.0 when k = 0). */
    NDArray lowerBoundForF(double ln2) {
        return array(e -> -(Math.scalb(ln2, -f[e]) * k[e]) + 0.0);
    }

    /** {@code d max / d i = ln2 2^i_eff}. */
    NDArray upperBoundForI(double ln2) {
        return array(e -> Math.scalb(ln2, effectiveI(e)));
    }

    /** {@code d min / d i = -k ln2 2^i_eff} (+0.0 when k = 0). */
    NDArray lowerBoundForI(double ln2) {
        return array(e -> -(Math.scalb(ln2, effectiveI(e)) * k[e]) + 0.0);
    }

    private boolean isLive(int e) {
        return unbounded || width(e) > 0;
    }

    private int width(int e) {
        return k[e] + i[e] + f[e];
    }

    private int effectiveI(int e) {
        return Math.max(i[e], -f[e]);
    }

    private double hi(int e) {
        return Math.scalb(1.0, effectiveI(e) + f[e]) - 1;
    }

    private double lo(int e, boolean symmetric) {
        return symmetric ? -(k[e] * hi(e)) : -(k[e] * Math.scalb(1.0, effectiveI(e) + f[e]));
    }

    private NDArray array(IntToDoubleFunction value) {
        double[] values = new double[k.length];
        for (int e = 0; e < values.length; e++) {
            values[e] = value.applyAsDouble(e);
        }
        return NativeArrays.create(scope, values, shape);
    }

    /** NumPy broadcasting of the three bit shapes with one another. */
    private static Shape commonShape(Shape... shapes) {
        int rank = 0;
        for (Shape s : shapes) {
            rank = Math.max(rank, s.dimension());
        }
        long[] dims = new long[rank];
        Arrays.fill(dims, 1);
        for (Shape s : shapes) {
            for (int d = 1; d <= s.dimension(); d++) {
                long size = s.get(s.dimension() - d);
                if (size != 1) {
                    dims[rank - d] = size; // equal to x's size there, checked by the caller
                }
            }
        }
        return new Shape(dims);
    }

    private static double[] hostValues(NDArray bits, Shape shape) {
        NDArray b = bits.stopGradient().toType(DataType.FLOAT64, false);
        if (!b.getShape().equals(shape)) {
            b = b.broadcast(shape);
        }
        return b.toDoubleArray();
    }

    private static IllegalArgumentException invalid(String name, String expected, double value, int e, Shape shape) {
        return new IllegalArgumentException("FixedPointOps: " + name + " must round (half up) to " + expected + ", got "
                + value + " at " + index(shape, e) + " of shape " + shape);
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
