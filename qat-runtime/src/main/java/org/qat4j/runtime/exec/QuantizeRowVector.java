package org.qat4j.runtime.exec;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantizeFixedKernel}'s fast path with the Vector API: the same double arithmetic (the floats
 * widened and scaled by a scalar loop, exact), then a vector of doubles at a time, with {@code floor} (which JDK 17's Vector API lacks) computed exactly for
 * {@code |y| < 2^51}: {@code r = (y + M) − M} with {@code M = 1.5·2^52} rounds y to the nearest integer
 * (the sum lies in {@code (2^52, 2^53)}, where the spacing of doubles is 1), and {@code floor(y) = r − [r > y]}.
 * The kernel's fast path holds {@code |y| < 2^50} and every later floor argument below 2^51 (see
 * {@link QuantizeFixedKernel}). Loaded reflectively, only when {@code jdk.incubator.vector} is present.
 */
final class QuantizeRowVector implements QuantizeFixedKernel.Row {
    // doubles of the preferred shape only, as the matrix kernels use: a second shape of an element type makes C2's
    // profiles of the Vector API's shared code polymorphic and leaves the kernels' vectors boxed (measured: the jets
    // MLP 3.5x slower with 256-bit int vectors beside the 512-bit ones); the floats are widened by a scalar loop
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final double MAGIC = 0x1.8p52;

    @Override
    public double fastRow(QuantizeFixedKernel q, float[] x, int off, double[] t) {
        int n = t.length;
        int lanes = D.length();
        int end = n - n % lanes;
        for (int e = 0; e < end; e++) {
            t[e] = x[off + e] * q.scale[e];
        }
        DoubleVector worst = DoubleVector.zero(D);
        for (int e = 0; e < end; e += lanes) {
            DoubleVector v = DoubleVector.fromArray(D, t, e);
            // NaN propagates through max like the scalar path
            worst = worst.max(v.abs());
            DoubleVector r = floor(v.add(q.half));
            if (q.wrap) {
                DoubleVector p = DoubleVector.fromArray(D, q.period, e);
                DoubleVector k = floor(
                        r.sub(DoubleVector.fromArray(D, q.base, e)).mul(DoubleVector.fromArray(D, q.inversePeriod, e)));
                r = r.sub(p.mul(k));
            } else {
                r = r.max(DoubleVector.fromArray(D, q.lo, e)).min(DoubleVector.fromArray(D, q.hi, e));
            }
            r.intoArray(t, e);
        }
        double w = worst.reduceLanes(VectorOperators.MAX);
        // a NaN lane may vanish in the reduction: test it separately
        if (worst.test(VectorOperators.IS_NAN).anyTrue()) {
            w = Double.NaN;
        }
        double tail = q.scalarRow(x, off, t, end);
        return Double.isNaN(tail) ? tail : Math.max(w, tail);
    }

    private static DoubleVector floor(DoubleVector y) {
        DoubleVector r = y.add(MAGIC).sub(MAGIC);
        VectorMask<Double> above = r.compare(VectorOperators.GT, y);
        return r.sub(1.0, above);
    }
}
