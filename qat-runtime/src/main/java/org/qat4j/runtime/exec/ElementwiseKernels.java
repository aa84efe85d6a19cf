package org.qat4j.runtime.exec;

import org.qat4j.runtime.model.PoolGeometry;

/** Kernels that work element by element (quantizers, ReLU, add, flatten, pooling). */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** {@code quantize_scaled}: {@code clamp(rint(x / s), lo, hi)} in float32. */
    static Kernel quantizeScaled(float scale, long lo, long hi, int n, int src, int dst) {
        return (env, batch) -> {
            float[] x = (float[]) env[src];
            long[] y = Workspace.longs(env, dst, batch * n);
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

    /** {@code dequantize_fixed}: {@code (float)(m · 2^-f)}. */
    static Kernel dequantizeFixed(String name, int[] frac, int src, int dst) {
        int n = frac.length;
        return (env, batch) -> {
            long[] x = (long[]) env[src];
            float[] y = Workspace.floats(env, dst, batch * n);
            for (int b = 0; b < batch; b++) {
                for (int e = 0; e < n; e++) {
                    long m = x[b * n + e];
                    if (Math.abs(m) > (1L << 53)) {
                        throw new ArithmeticException("dequantize_fixed '" + name + "': mantissa " + m + " of element "
                                + e + " exceeds 2^53 and is not exact in double");
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
            float[] y = Workspace.floats(env, dst, batch * n);
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
                long[] y = Workspace.longs(env, dst, x.length);
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
            long[] y = Workspace.longs(env, dst, x.length);
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
    static Kernel pool(
            String name,
            boolean max,
            PoolGeometry g,
            int inPer,
            int outPer,
            int channels,
            int bits,
            boolean proven,
            int src,
            int dst) {
        int[][] windows = new int[outPer][];
        for (int e = 0; e < outPer; e++) {
            windows[e] = g.window(e);
        }
        long lo = bits >= 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        long hi = bits >= 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        int perChannel = outPer / channels;
        return (env, batch) -> {
            long[] x = (long[]) env[src];
            long[] y = Workspace.longs(env, dst, batch * outPer);
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
