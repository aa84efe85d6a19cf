package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * A batch of (x, format) cases run through {@link FixedPointOps#quantize} (and
 * {@link FixedPointOps#quantizeToMantissas}) in one call with per-element bit arrays, checked bit for bit
 * (and mantissa for mantissa) against the pure-Java {@link FixedPoint}.
 */
final class ParityCases {

    private final List<Double> xs = new ArrayList<>();
    private final List<double[]> bits = new ArrayList<>();
    private final List<FixedFormat> formats = new ArrayList<>();

    /** Adds x with the exact integer format. */
    void add(double x, FixedFormat fmt) {
        add(x, fmt, fmt.k(), fmt.i(), fmt.f());
    }

    /** Adds x with raw (possibly fractional) bit values that round half up to {@code fmt}. */
    void add(double x, FixedFormat fmt, double k, double i, double f) {
        xs.add(x);
        formats.add(fmt);
        bits.add(new double[] {k, i, f});
    }

    int size() {
        return xs.size();
    }

    /**
     * Runs the batch in {@code type} and asserts every element's bit pattern.
     *
     * @return the number of elements checked
     */
    int check(NDManager manager, DataType type, RoundingMode r, OverflowMode o) {
        int n = xs.size();
        double[] k = new double[n];
        double[] i = new double[n];
        double[] f = new double[n];
        for (int e = 0; e < n; e++) {
            k[e] = bits.get(e)[0];
            i[e] = bits.get(e)[1];
            f[e] = bits.get(e)[2];
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x;
            if (type == DataType.FLOAT32) {
                float[] v = new float[n];
                for (int e = 0; e < n; e++) {
                    v[e] = (float) (double) xs.get(e);
                }
                x = scope.create(v, new Shape(n));
            } else {
                double[] v = new double[n];
                for (int e = 0; e < n; e++) {
                    v[e] = xs.get(e);
                }
                x = scope.create(v, new Shape(n));
            }
            NDArray ka = toFloat(scope, k);
            NDArray ia = toFloat(scope, i);
            NDArray fa = toFloat(scope, f);
            NDArray q = FixedPointOps.quantize(x, ka, ia, fa, r, o);
            assertEquals(type, q.getDataType());
            long[] mantissas =
                    FixedPointOps.quantizeToMantissas(x, ka, ia, fa, r, o).toLongArray();
            for (int e = 0; e < n; e++) {
                double in = type == DataType.FLOAT32 ? (float) (double) xs.get(e) : xs.get(e);
                long want = FixedPoint.quantize(in, formats.get(e), r, o);
                if (want != mantissas[e]) {
                    throw new AssertionError(type + " x=" + in + " " + formats.get(e) + " " + r + " " + o
                            + ": mantissa want " + want + " got " + mantissas[e]);
                }
            }
            if (type == DataType.FLOAT32) {
                float[] got = q.toFloatArray();
                for (int e = 0; e < n; e++) {
                    float in = (float) (double) xs.get(e);
                    FixedFormat fmt = formats.get(e);
                    float want = (float) FixedPoint.toDouble(FixedPoint.quantize(in, fmt, r, o), fmt);
                    if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got[e])) {
                        throw new AssertionError("float32 x=" + in + " (" + Float.toHexString(in) + ") " + fmt + " " + r
                                + " " + o + ": want " + want + " got " + got[e]);
                    }
                }
            } else {
                double[] got = q.toDoubleArray();
                for (int e = 0; e < n; e++) {
                    double in = xs.get(e);
                    FixedFormat fmt = formats.get(e);
                    double want = FixedPoint.toDouble(FixedPoint.quantize(in, fmt, r, o), fmt);
                    if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got[e])) {
                        throw new AssertionError("float64 x=" + in + " (" + Double.toHexString(in) + ") " + fmt + " "
                                + r + " " + o + ": want " + want + " got " + got[e]);
                    }
                }
            }
        }
        return n;
    }

    /** Bit parameters arrive as float32, like trained parameters. */
    private static NDArray toFloat(NDManager m, double[] v) {
        float[] out = new float[v.length];
        for (int e = 0; e < v.length; e++) {
            out[e] = (float) v[e];
        }
        return m.create(out, new Shape(v.length));
    }
}
