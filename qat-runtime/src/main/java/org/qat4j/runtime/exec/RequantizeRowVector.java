package org.qat4j.runtime.exec;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RequantizeFixedKernel}'s proven fast path with the Vector API, two vectors of longs at a time with per-lane
 * shift counts: {@code (max(m, 0) if relu) + half >> shift}, then SAT's clip or WRAP's
 * {@code zx ^ ((sx ^ zx) & signed)} of the value shifted left by {@code 64 − width} and back (arithmetic
 * and logical), masked to 0 for zero width; the same integer operations as the scalar rows, so the same
 * integers. The elements after the last whole vector run the scalar code. Stores convert to the output tensor's type (every
 * value is proven exact in it). Loaded reflectively, only when {@code jdk.incubator.vector} is present.
 */
final class RequantizeRowVector implements RequantizeFixedKernel.Row {
    // the preferred shapes only, as the matrix kernels use: a second shape of the same element type would make C2's
    // profiles of the Vector API's shared code polymorphic and leave the kernels' vectors boxed (measured: 3.5x slower)
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    @Override
    public void row(RequantizeFixedKernel q, long[] x, int xb, Object y, int yb) {
        int n = q.n;
        int lanes = L.length();
        int e = 0;
        if (F.length() == 2 * lanes && I.length() == 2 * lanes && D.length() == lanes) {
            for (; e + 2 * lanes <= n; e += 2 * lanes) {
                LongVector v0 = requantize(q, x, xb, e);
                LongVector v1 = requantize(q, x, xb, e + lanes);
                if (y instanceof float[] f) {
                    // each conversion fills its half of the lanes (part 0, part −1) and leaves the other zero
                    FloatVector c0 = (FloatVector) v0.convertShape(VectorOperators.L2F, F, 0);
                    FloatVector c1 = (FloatVector) v1.convertShape(VectorOperators.L2F, F, -1);
                    c0.add(c1).intoArray(f, yb + e);
                } else if (y instanceof int[] i) {
                    IntVector c0 = (IntVector) v0.convertShape(VectorOperators.L2I, I, 0);
                    IntVector c1 = (IntVector) v1.convertShape(VectorOperators.L2I, I, -1);
                    c0.add(c1).intoArray(i, yb + e);
                } else if (y instanceof double[] d) {
                    ((DoubleVector) v0.convertShape(VectorOperators.L2D, D, 0)).intoArray(d, yb + e);
                    ((DoubleVector) v1.convertShape(VectorOperators.L2D, D, 0)).intoArray(d, yb + e + lanes);
                } else {
                    v0.intoArray((long[]) y, yb + e);
                    v1.intoArray((long[]) y, yb + e + lanes);
                }
            }
        }
        q.scalarTail(x, xb, y, yb, e);
    }

    private static LongVector requantize(RequantizeFixedKernel q, long[] x, int xb, int e) {
        LongVector m = LongVector.fromArray(L, x, xb + e);
        if (q.relu) {
            m = m.max(0L);
        }
        LongVector v = m.add(LongVector.fromArray(L, q.half, e))
                .lanewise(VectorOperators.ASHR, LongVector.fromArray(L, q.shiftCounts, e));
        if (q.wrap) {
            LongVector s = LongVector.fromArray(L, q.wrapShiftCounts, e);
            LongVector t = v.lanewise(VectorOperators.LSHL, s);
            LongVector sx = t.lanewise(VectorOperators.ASHR, s);
            LongVector zx = t.lanewise(VectorOperators.LSHR, s);
            return zx.lanewise(
                            VectorOperators.XOR,
                            sx.lanewise(VectorOperators.XOR, zx)
                                    .lanewise(VectorOperators.AND, LongVector.fromArray(L, q.signedMask, e)))
                    .lanewise(VectorOperators.AND, LongVector.fromArray(L, q.keepMask, e));
        }
        return v.max(LongVector.fromArray(L, q.lo, e)).min(LongVector.fromArray(L, q.hi, e));
    }
}
