package org.qat4j.runtime.exec;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DoubleMatMul} with the Vector API: per tile of four rows and one vector of output channels,
 * four accumulators take one multiply and one add per kept input feature (the weight vector loaded once,
 * the four inputs broadcast). Exact for the same reason as the scalar kernel (every product and every sum, unfused, is exact): every intermediate is an
 * integer below 2^53. Loaded reflectively, only when {@code jdk.incubator.vector} is present.
 */
final class DoubleMatMulVector extends DoubleMatMul {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    DoubleMatMulVector(int[] weights, long[] bias, int n, int fullK, int[] keep) {
        super(weights, bias, n, fullK, keep);
        if (nPad % S.length() != 0) {
            throw new IllegalStateException("padding " + nPad + " is not a multiple of " + S.length() + " lanes");
        }
    }

    @Override
    boolean vectorized() {
        return true;
    }

    @Override
    void kernel(double[] a, int rows, double[] out) {
        if ((long) rows * k * nPad < VECTOR_MIN_WORK) {
            super.kernel(a, rows, out);
            return;
        }
        int lanes = S.length();
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int x0 = r * k;
            int x1 = x0 + k;
            int x2 = x1 + k;
            int x3 = x2 + k;
            for (int c0 = 0; c0 < nPad; c0 += lanes) {
                DoubleVector b = DoubleVector.fromArray(S, bias, c0);
                DoubleVector s0 = b;
                DoubleVector s1 = b;
                DoubleVector s2 = b;
                DoubleVector s3 = b;
                for (int kk = 0, wo = c0; kk < k; kk++, wo += nPad) {
                    DoubleVector wv = DoubleVector.fromArray(S, w, wo);
                    s0 = wv.mul(a[x0 + kk]).add(s0);
                    s1 = wv.mul(a[x1 + kk]).add(s1);
                    s2 = wv.mul(a[x2 + kk]).add(s2);
                    s3 = wv.mul(a[x3 + kk]).add(s3);
                }
                s0.intoArray(out, r * nPad + c0);
                s1.intoArray(out, (r + 1) * nPad + c0);
                s2.intoArray(out, (r + 2) * nPad + c0);
                s3.intoArray(out, (r + 3) * nPad + c0);
            }
        }
        for (; r < rows; r++) {
            int x0 = r * k;
            for (int c0 = 0; c0 < nPad; c0 += lanes) {
                DoubleVector s0 = DoubleVector.fromArray(S, bias, c0);
                for (int kk = 0, wo = c0; kk < k; kk++, wo += nPad) {
                    s0 = DoubleVector.fromArray(S, w, wo).mul(a[x0 + kk]).add(s0);
                }
                s0.intoArray(out, r * nPad + c0);
            }
        }
    }
}
