package org.qat4j.runtime.exec;

import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.PoolGeometry;

/** Kernels that work element by element (quantizers, ReLU, add, flatten, pooling). */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** {@code quantize_fixed}: exact quantization of each float's real value. */
    static Kernel quantizeFixed(FixedFormat[] fmts, RoundingMode r, OverflowMode o, int src, int dst) {
        int n = fmts.length;
        return (env, batch) -> {
            float[] x = (float[]) env[src];
            long[] y = new long[batch * n];
            for (int b = 0; b < batch; b++) {
                for (int e = 0; e < n; e++) {
                    y[b * n + e] = FixedPoint.quantize(x[b * n + e], fmts[e], r, o);
                }
            }
            env[dst] = y;
        };
    }

    /** {@code quantize_scaled}: {@code clamp(rint(x / s), lo, hi)} in float32. */
    static Kernel quantizeScaled(float scale, long lo, long hi, int n, int src, int dst) {
        return (env, batch) -> {
            float[] x = (float[]) env[src];
            long[] y = new long[batch * n];
            for (int t = 0; t < y.length; t++) {
                float q = x[t] / scale;
                if (Float.isNaN(q)) {
                    throw new IllegalArgumentException("quantize_scaled: input element " + t + " is NaN");
                }
                float r = (float) Math.rint(q);
                y[t] = r <= lo ? lo : (r >= hi ? hi : (long) r);
            }
            env[dst] = y;
        };
    }

    /** {@code requantize_fixed}: integer shift with rounding, then overflow. */
    static Kernel requantizeFixed(int[] inFrac, FixedFormat[] fmts, RoundingMode r, OverflowMode o, int src, int dst) {
        int n = fmts.length;
        int[] shift = new int[n];
        long[] lo = new long[n];
        long[] hi = new long[n];
        int[] width = new int[n];
        boolean fast = r == RoundingMode.RND || r == RoundingMode.TRN;
        for (int e = 0; e < n; e++) {
            shift[e] = inFrac[e] - fmts[e].f();
            width[e] = Math.max(0, fmts[e].width());
            fast &= shift[e] >= 0 && shift[e] < 62 && width[e] < 63;
            if (width[e] > 0 && width[e] < 63) {
                lo[e] = fmts[e].minMantissa(o);
                hi[e] = fmts[e].maxMantissa();
            }
        }
        boolean rnd = r == RoundingMode.RND;
        boolean wrap = o == OverflowMode.WRAP;
        if (fast) {
            // RND = floor(m/2^s + 1/2) = (m + 2^(s−1)) >> s and TRN = m >> s on integers (arithmetic shift is floor);
            // |m| < 2^62 keeps the addition exact, else the general path decides
            long[] half = new long[n];
            long[] signBit = new long[n];
            for (int e = 0; e < n; e++) {
                half[e] = rnd && shift[e] > 0 ? 1L << (shift[e] - 1) : 0;
                signBit[e] = fmts[e].k();
            }
            return (env, batch) -> {
                long[] x = (long[]) env[src];
                long[] y = new long[batch * n];
                for (int b = 0; b < batch; b++) {
                    int base = b * n;
                    for (int e = 0; e < n; e++) {
                        if (width[e] == 0) {
                            continue;
                        }
                        long m = x[base + e];
                        long v;
                        if (m > (1L << 62) || m < -(1L << 62)) {
                            v = requantize(m, shift[e], fmts[e], r, o);
                        } else {
                            v = (m + half[e]) >> shift[e];
                            if (wrap) {
                                int sh = 64 - width[e];
                                v = signBit[e] == 1 ? (v << sh) >> sh : (v << sh) >>> sh;
                            } else {
                                v = v < lo[e] ? lo[e] : (v > hi[e] ? hi[e] : v);
                            }
                        }
                        y[base + e] = v;
                    }
                }
                env[dst] = y;
            };
        }
        return (env, batch) -> {
            long[] x = (long[]) env[src];
            long[] y = new long[batch * n];
            for (int b = 0; b < batch; b++) {
                for (int e = 0; e < n; e++) {
                    if (width[e] == 0) { // JDK-8376400: the precomputed int, not isZeroWidth()
                        continue;
                    }
                    y[b * n + e] = requantize(x[b * n + e], shift[e], fmts[e], r, o);
                }
            }
            env[dst] = y;
        };
    }

    /**
     * {@code overflow(round(m · 2^-shift))} exactly. A right shift rounds; a left shift is exact
     * unless it leaves the long range, where SAT saturates by sign (the true value is beyond any
     * format) and WRAP keeps the value modulo 2^64, which every format width (≤ 64) divides.
     */
    static long requantize(long m, int shift, FixedFormat to, RoundingMode r, OverflowMode o) {
        long v;
        if (shift >= 0) {
            v = FixedPoint.shiftRightRounded(m, shift, r);
        } else {
            int s = -shift;
            if (m == 0) {
                v = 0;
            } else if (s < 63 && (m << s) >> s == m) {
                v = m << s;
            } else if (o == OverflowMode.WRAP) {
                v = s >= 64 ? 0 : m << s;
            } else {
                v = m > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            }
        }
        return FixedPoint.applyOverflow(v, to, o);
    }

    /** {@code dequantize_fixed}: {@code (float)(m · 2^-f)}. */
    static Kernel dequantizeFixed(String name, int[] frac, int src, int dst) {
        int n = frac.length;
        return (env, batch) -> {
            long[] x = (long[]) env[src];
            float[] y = new float[batch * n];
            for (int b = 0; b < batch; b++) {
                for (int e = 0; e < n; e++) {
                    long m = x[b * n + e];
                    if (Math.abs(m) > (1L << 53)) {
                        throw new ArithmeticException("dequantize_fixed '" + name + "': mantissa " + m + " of element " + e
                                + " exceeds 2^53 and is not exact in double");
                    }
                    y[b * n + e] = (float) Math.scalb((double) m, -frac[e]);
                }
            }
            env[dst] = y;
        };
    }

    /** {@code dequantize_scaled}: {@code ((float) acc * (sx * sc)) + bias}, float32, no FMA. */
    static Kernel dequantizeScaled(float sx, float[] sc, float[] bias, int channels, int n, int src, int dst) {
        float[] m = new float[channels];
        float[] bb = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = sx * sc[sc.length == 1 ? 0 : c];
            bb[c] = bias == null ? 0f : bias[bias.length == 1 ? 0 : c];
        }
        int per = n / channels;
        boolean hasBias = bias != null;
        return (env, batch) -> {
            long[] x = (long[]) env[src];
            float[] y = new float[batch * n];
            for (int b = 0; b < batch; b++) {
                for (int e = 0; e < n; e++) {
                    int c = e / per;
                    float v = (float) x[b * n + e] * m[c];
                    if (hasBias) {
                        v = v + bb[c];
                    }
                    y[b * n + e] = v;
                }
            }
            env[dst] = y;
        };
    }

    /** {@code relu} on integers or floats. */
    static Kernel relu(int src, int dst) {
        return (env, batch) -> {
            Object in = env[src];
            if (in instanceof long[] x) {
                long[] y = new long[x.length];
                for (int t = 0; t < x.length; t++) {
                    y[t] = Math.max(0L, x[t]);
                }
                env[dst] = y;
            } else {
                float[] x = (float[]) in;
                float[] y = new float[x.length];
                for (int t = 0; t < x.length; t++) {
                    // max(0, x) as torch.relu: NaN propagates, -0.0 stays -0.0 is not relied upon
                    y[t] = x[t] > 0f ? x[t] : (Float.isNaN(x[t]) ? x[t] : 0f);
                }
                env[dst] = y;
            }
        };
    }

    /** {@code add}: checked against the declared width unless proven to fit. */
    static Kernel add(String name, int bits, boolean proven, int n, int a, int b, int dst) {
        long lo = bits >= 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        long hi = bits >= 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        return (env, batch) -> {
            long[] x = (long[]) env[a];
            long[] z = (long[]) env[b];
            long[] y = new long[x.length];
            if (proven) {
                for (int t = 0; t < y.length; t++) {
                    y[t] = x[t] + z[t];
                }
            } else {
                for (int t = 0; t < y.length; t++) {
                    long v;
                    try {
                        v = Math.addExact(x[t], z[t]);
                    } catch (ArithmeticException e) {
                        throw new AccumulatorOverflowException(name, t / n, t % n, x[t], 64);
                    }
                    if (v < lo || v > hi) {
                        throw new AccumulatorOverflowException(name, t / n, t % n, v, bits);
                    }
                    y[t] = v;
                }
            }
            env[dst] = y;
        };
    }

    /** {@code flatten}: the same data. */
    static Kernel flatten(int src, int dst) {
        return (env, batch) -> env[dst] = env[src];
    }

    /** {@code add_float}: one IEEE float32 addition per element. */
    static Kernel floatAdd(int n, int srcA, int srcB, int dst) {
        return (env, batch) -> {
            float[] a = (float[]) env[srcA];
            float[] b = (float[]) env[srcB];
            float[] y = new float[batch * n];
            for (int e = 0; e < y.length; e++) {
                y[e] = a[e] + b[e];
            }
            env[dst] = y;
        };
    }

    /**
     * {@code avgpool_float}: per window, a float32 sum in window order from {@code +0.0f}, then one
     * float32 division by the element count, as PyTorch's CPU average pool computes it.
     */
    static Kernel floatAvgPool(PoolGeometry g, int inPer, int outPer, int src, int dst) {
        int[][] windows = new int[outPer][];
        for (int e = 0; e < outPer; e++) {
            windows[e] = g.window(e);
        }
        return (env, batch) -> {
            float[] x = (float[]) env[src];
            float[] y = new float[batch * outPer];
            for (int b = 0; b < batch; b++) {
                int xo = b * inPer;
                for (int e = 0; e < outPer; e++) {
                    int[] idx = windows[e];
                    float sum = 0f;
                    for (int i : idx) {
                        sum += x[xo + i];
                    }
                    y[b * outPer + e] = sum / idx.length;
                }
            }
            env[dst] = y;
        };
    }

    /** {@code maxpool}/{@code avgpool} (window sum). */
    static Kernel pool(String name, boolean max, PoolGeometry g, int inPer, int outPer, int channels, int bits, boolean proven,
            int src, int dst) {
        int[][] windows = new int[outPer][];
        for (int e = 0; e < outPer; e++) {
            windows[e] = g.window(e);
        }
        long lo = bits >= 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        long hi = bits >= 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        int perChannel = outPer / channels;
        return (env, batch) -> {
            long[] x = (long[]) env[src];
            long[] y = new long[batch * outPer];
            for (int b = 0; b < batch; b++) {
                int xo = b * inPer;
                for (int e = 0; e < outPer; e++) {
                    int[] idx = windows[e];
                    long v;
                    if (max) {
                        v = Long.MIN_VALUE;
                        for (int i : idx) {
                            v = Math.max(v, x[xo + i]);
                        }
                    } else if (proven) {
                        v = 0;
                        for (int i : idx) {
                            v += x[xo + i];
                        }
                    } else {
                        v = 0;
                        for (int i : idx) {
                            v = Math.addExact(v, x[xo + i]);
                            if (v < lo || v > hi) {
                                throw new AccumulatorOverflowException(name, b, e / perChannel, v, bits);
                            }
                        }
                    }
                    y[b * outPer + e] = v;
                }
            }
            env[dst] = y;
        };
    }
}
