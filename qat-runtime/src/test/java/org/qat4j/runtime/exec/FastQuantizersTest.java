package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * The runtime's fast quantizers ({@link QuantizeFixedKernel}: scalar and Vector API rows;
 * {@link RequantizeFixedKernel}), writing {@code long[]} or a fused dense layer's operand type
 * ({@code float[]}, {@code int[]}, {@code double[]}), equal the
 * reference {@link FixedPoint} bit for bit: exhaustively for every small format (width 0 to 8) under
 * every rounding and overflow mode, on every grid point, midpoint and its float32 neighbours in and
 * beyond the format's range, and on random bit patterns and wide formats (where the fast path hands
 * over to the reference).
 */
class FastQuantizersTest {

    private static List<FixedFormat> smallFormats() {
        List<FixedFormat> out = new ArrayList<>();
        for (int k = 0; k <= 1; k++) {
            for (int f = -3; f <= 7; f++) {
                for (int width = 0; width <= 8; width++) {
                    out.add(new FixedFormat(k, width - k - f, f));
                }
            }
        }
        return out;
    }

    /** Every multiple of a quarter step over ±4× the range, each with its float32 neighbours, and special values. */
    private static float[] probes(FixedFormat fmt) {
        List<Float> v = new ArrayList<>();
        double step = Math.scalb(1.0, -fmt.f());
        long span = 2L << Math.max(0, fmt.width());
        for (long q = -2 * span; q <= 2 * span; q++) {
            float x = (float) (q * step / 4);
            v.add(x);
            v.add(Math.nextUp(x));
            v.add(Math.nextDown(x));
        }
        for (float s : new float[] {
            0f,
            -0f,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MIN_NORMAL,
            -Float.MIN_NORMAL,
            1e-30f,
            -1e-30f,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            0x1p52f,
            -0x1p52f,
            0x1p62f,
            -0x1p62f
        }) {
            v.add(s);
        }
        float[] out = new float[v.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = v.get(t);
        }
        return out;
    }

    @Test
    void quantizeEqualsTheReferenceExhaustivelyOnSmallFormats() {
        long checked = 0;
        for (FixedFormat fmt : smallFormats()) {
            float[] x = probes(fmt);
            for (RoundingMode r : RoundingMode.values()) {
                for (OverflowMode o : OverflowMode.values()) {
                    checked += assertQuantizeEqual(fmt, r, o, x);
                }
            }
        }
        assertTrue(checked > 2_000_000, "values checked: " + checked);
    }

    @Test
    void quantizeEqualsTheReferenceOnRandomBitPatternsAndWideFormats() {
        Random rnd = new Random(17);
        for (int t = 0; t < 80; t++) {
            int k = rnd.nextInt(2);
            int f = rnd.nextInt(129) - 64;
            int i = Math.max(-64, Math.min(64, rnd.nextInt(66) - k - f));
            FixedFormat fmt = new FixedFormat(k, i, f);
            int width = fmt.width();
            float[] x = new float[1000];
            for (int e = 0; e < x.length; e++) {
                float v = Float.intBitsToFloat(rnd.nextInt());
                // near the format's scale half the time
                x[e] = Float.isNaN(v)
                        ? 0f
                        : rnd.nextBoolean() ? v : (float) (rnd.nextGaussian() * Math.scalb(1.0, width - f));
            }
            for (RoundingMode r : RoundingMode.values()) {
                for (OverflowMode o : OverflowMode.values()) {
                    assertQuantizeEqual(fmt, r, o, x);
                }
            }
        }
    }

    @Test
    void quantizeRefusesNaNAsTheReferenceDoes() {
        QuantizeFixedKernel k = new QuantizeFixedKernel(
                new FixedFormat[] {FixedFormat.signed(3, 4)}, RoundingMode.RND, OverflowMode.SAT, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> k.quantize(new float[] {Float.NaN}, 0, new long[1]));
    }

    /** Returns the number of values compared; an input the reference refuses must be refused alike. */
    private static int assertQuantizeEqual(FixedFormat fmt, RoundingMode r, OverflowMode o, float[] x) {
        FixedFormat[] fmts = new FixedFormat[x.length];
        Arrays.fill(fmts, fmt);
        QuantizeFixedKernel k = new QuantizeFixedKernel(fmts, r, o, 0, 1);
        long[] expected = new long[x.length];
        boolean refused = false;
        for (int e = 0; e < x.length; e++) {
            try {
                expected[e] = FixedPoint.quantize(x[e], fmt, r, o);
            } catch (RuntimeException ex) {
                refused = true;
            }
        }
        if (refused) {
            // e.g. an infinity under WRAP, a mantissa beyond long: the same exception class from the kernel
            for (int e = 0; e < x.length; e++) {
                float[] one = {x[e]};
                FixedFormat[] f1 = {fmt};
                QuantizeFixedKernel k1 = new QuantizeFixedKernel(f1, r, o, 0, 1);
                long[] got = new long[1];
                try {
                    long want = FixedPoint.quantize(x[e], fmt, r, o);
                    k1.quantize(one, 0, got);
                    assertEquals(want, got[0], () -> fmt + " " + r + " " + o + " x=" + one[0]);
                } catch (RuntimeException ex) {
                    assertThrows(
                            ex.getClass(),
                            () -> k1.quantize(one, 0, got),
                            () -> fmt + " " + r + " " + o + " x=" + one[0]);
                }
            }
            return x.length;
        }
        int compared = 0;
        for (boolean vector : new boolean[] {false, true}) {
            QuantizeFixedKernel kv = new QuantizeFixedKernel(fmts, r, o, 0, 1, long[].class, vector);
            long[] got = new long[x.length];
            kv.quantize(x, 0, got);
            compared += assertSame(expected, got, x, fmt + " " + r + " " + o + " vector " + vector);
            // the operand types a fused dense layer reads, where the format's mantissas are exact in them (the stores
            // are the same code after either row)
            for (Class<?> type : vector
                    ? new Class<?>[] {long[].class, float[].class, int[].class, double[].class}
                    : new Class<?>[0]) {
                int exactBits = type == float[].class ? 24 : type == int[].class ? 31 : 50;
                if (fmt.width() <= exactBits) {
                    compared += assertSame(
                            expected,
                            runTyped(kv.writing(type), x),
                            x,
                            fmt + " " + r + " " + o + " vector " + vector + " into " + type.getSimpleName());
                }
            }
        }
        return compared;
    }

    /** Runs a quantizer on one sample through its tensor interface; returns the tensor's values as longs. */
    private static long[] runTyped(QuantizeFixedKernel k, float[] x) {
        Object[] env = {x, null};
        k.run(env, 1);
        return longs(env[1]);
    }

    static long[] longs(Object tensor) {
        if (tensor instanceof long[] l) {
            return l;
        }
        int n = java.lang.reflect.Array.getLength(tensor);
        long[] out = new long[n];
        for (int e = 0; e < n; e++) {
            double v = tensor instanceof float[] f ? f[e] : tensor instanceof int[] i ? i[e] : ((double[]) tensor)[e];
            out[e] = (long) v;
            assertEquals(v, (double) out[e], "element " + e + " is not an integer: " + v);
        }
        return out;
    }

    private static int assertSame(long[] expected, long[] got, float[] x, String what) {
        for (int e = 0; e < x.length; e++) {
            if (expected[e] != got[e]) {
                assertEquals(
                        expected[e],
                        got[e],
                        what + " x=" + x[e] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(x[e])) + ")");
            }
        }
        return x.length;
    }

    @Test
    void requantizeEqualsTheReferenceExhaustivelyOnSmallFormats() {
        long checked = 0;
        int span = 1 << 7;
        long[] m = new long[2 * span + 1];
        for (int t = 0; t < m.length; t++) {
            m[t] = t - span;
        }
        for (FixedFormat fmt : smallFormats()) {
            if (fmt.f() < -1 || fmt.f() > 5) {
                continue;
            }
            for (int inFrac = fmt.f() - 2; inFrac <= fmt.f() + 6; inFrac++) {
                for (RoundingMode r : RoundingMode.values()) {
                    for (OverflowMode o : OverflowMode.values()) {
                        for (boolean relu : new boolean[] {false, true}) {
                            checked +=
                                    assertRequantizeEqual(fmt, inFrac, r, o, relu, m, new long[][] {{-span}, {span}});
                        }
                    }
                }
            }
        }
        assertTrue(checked > 2_000_000, "values checked: " + checked);
    }

    /** Integers near ±2^62 and the long extremes, with a range that proves nothing: the per-element check hands them to the reference. */
    @Test
    void requantizeEqualsTheReferenceAtTheLongExtremes() {
        Random rnd = new Random(5);
        List<Long> v = new ArrayList<>();
        for (long c : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62, -(1L << 62), 0, 1, -1}) {
            for (int d = -3; d <= 3; d++) {
                v.add(c + d);
            }
        }
        for (int t = 0; t < 600; t++) {
            v.add(rnd.nextLong() >> rnd.nextInt(64));
        }
        long[] m = v.stream().mapToLong(Long::longValue).toArray();
        long[][] any = {{Long.MIN_VALUE}, {Long.MAX_VALUE}};
        for (int t = 0; t < 150; t++) {
            int k = rnd.nextInt(2);
            int f = rnd.nextInt(75) - 10;
            FixedFormat fmt = new FixedFormat(k, Math.max(-64, Math.min(64, rnd.nextInt(66) - k - f)), f);
            int inFrac = rnd.nextInt(80) - 10;
            for (RoundingMode r : RoundingMode.values()) {
                for (OverflowMode o : OverflowMode.values()) {
                    assertRequantizeEqual(fmt, inFrac, r, o, rnd.nextBoolean(), m, any);
                }
            }
        }
    }

    private static int assertRequantizeEqual(
            FixedFormat fmt, int inFrac, RoundingMode r, OverflowMode o, boolean relu, long[] m, long[][] range1) {
        int n = m.length;
        FixedFormat[] fmts = new FixedFormat[n];
        Arrays.fill(fmts, fmt);
        int[] fin = new int[n];
        Arrays.fill(fin, inFrac);
        long[][] range = {new long[n], new long[n]};
        Arrays.fill(range[0], range1[0][0]);
        Arrays.fill(range[1], range1[1][0]);
        long[] expected = new long[n];
        for (int e = 0; e < n; e++) {
            long x = relu ? Math.max(0L, m[e]) : m[e];
            try {
                expected[e] = FixedPoint.rescale(x, inFrac, fmt, r, o);
            } catch (ArithmeticException ex) {
                return 0; // a result beyond long (unsigned 64-bit WRAP): not a format a model can declare for a tensor
            }
        }
        int compared = 0;
        for (boolean vector : new boolean[] {false, true}) {
            compared += assertRequantizeTypes(
                    new RequantizeFixedKernel(fin, fmts, r, o, range, relu, 0, 1, long[].class, vector),
                    vector,
                    expected,
                    fmt,
                    inFrac,
                    r,
                    o,
                    relu,
                    m);
        }
        return compared;
    }

    private static int assertRequantizeTypes(
            RequantizeFixedKernel k,
            boolean vector,
            long[] expected,
            FixedFormat fmt,
            int inFrac,
            RoundingMode r,
            OverflowMode o,
            boolean relu,
            long[] m) {
        int n = m.length;
        int compared = 0;
        // the operand types a fused dense layer reads, where the format's mantissas are exact in them (the scalar
        // rows convert one long row for every type: float stands for them)
        for (Class<?> type : vector
                ? new Class<?>[] {long[].class, float[].class, int[].class, double[].class}
                : new Class<?>[] {long[].class, float[].class}) {
            int exactBits = type == long[].class ? 64 : type == float[].class ? 24 : type == int[].class ? 31 : 53;
            if (fmt.width() > exactBits) {
                continue;
            }
            Object[] env = {m, null};
            (type == long[].class ? k : k.writing(type)).run(env, 1);
            long[] got = longs(env[1]);
            for (int e = 0; e < n; e++) {
                if (expected[e] != got[e]) {
                    assertEquals(
                            expected[e],
                            got[e],
                            fmt + " inFrac " + inFrac + " " + r + " " + o + " relu " + relu + " m=" + m[e] + " into "
                                    + type.getSimpleName() + " vector " + vector);
                }
            }
            compared += n;
        }
        return compared;
    }
}
