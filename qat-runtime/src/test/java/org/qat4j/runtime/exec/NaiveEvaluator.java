package org.qat4j.runtime.exec;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.Granularity;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * A deliberately naive, single-sample evaluator written from the op formulas (BigInteger sums,
 * coordinate loops, no shared code with the runtime's kernels) to cross-check the runtime.
 */
final class NaiveEvaluator {
    private NaiveEvaluator() {}

    /** Returns the output tensor (long[] or float[]) of one sample. */
    static Object run(IntegerModel m, float[] x) {
        Map<String, Object> env = new HashMap<>();
        env.put(m.inputName(), x);
        for (ModelOp op : m.ops()) {
            env.put(op.name(), eval(m, op, env));
        }
        return env.get(m.outputName());
    }

    private static Object eval(IntegerModel m, ModelOp op, Map<String, Object> env) {
        int[] shape = m.tensor(op.name()).shape();
        int n = m.tensor(op.name()).numel();
        Object in = env.get(op.inputs().get(0));
        if (op instanceof QuantizeFixedOp q) {
            FixedFormat[] f = q.formats().expand(shape, "t");
            long[] y = new long[n];
            for (int e = 0; e < n; e++) {
                y[e] = FixedPoint.quantize(((float[]) in)[e], f[e], q.rounding(), q.overflow());
            }
            return y;
        }
        if (op instanceof QuantizeScaledOp q) {
            long[] y = new long[n];
            for (int e = 0; e < n; e++) {
                double r = Math.rint(((float[]) in)[e] / q.scale());
                y[e] = (long) Math.max(q.min(), Math.min(q.max(), r));
            }
            return y;
        }
        if (op instanceof RequantizeFixedOp q) {
            FixedFormat[] f = q.formats().expand(shape, "t");
            int[] fin = Granularity.expand(q.inputFrac(), shape, "t");
            long[] y = new long[n];
            for (int e = 0; e < n; e++) {
                // value m·2^-fin, exact in double for these small tests
                double v = Math.scalb((double) ((long[]) in)[e], -fin[e]);
                y[e] = FixedPoint.quantize(v, f[e], q.rounding(), q.overflow());
            }
            return y;
        }
        if (op instanceof DequantizeFixedOp d) {
            int[] fr = Granularity.expand(d.frac(), shape, "t");
            float[] y = new float[n];
            for (int e = 0; e < n; e++) {
                y[e] = (float) (((long[]) in)[e] * Math.pow(2, -fr[e]));
            }
            return y;
        }
        if (op instanceof DequantizeScaledOp d) {
            float[] y = new float[n];
            int per = n / shape[0];
            for (int e = 0; e < n; e++) {
                int c = e / per;
                float sc = d.channelScale()[d.channelScale().length == 1 ? 0 : c];
                float mult = d.inputScale() * sc;
                float v = ((float) ((long[]) in)[e]) * mult;
                if (d.bias() != null) {
                    v += d.bias()[d.bias().length == 1 ? 0 : c];
                }
                y[e] = v;
            }
            return y;
        }
        if (op instanceof ReluOp) {
            long[] x = (long[]) in;
            long[] y = new long[n];
            for (int e = 0; e < n; e++) {
                y[e] = x[e] > 0 ? x[e] : 0;
            }
            return y;
        }
        if (op instanceof FlattenOp) {
            return in;
        }
        if (op instanceof FloatAddOp a) {
            float[] x = (float[]) in;
            float[] z = (float[]) env.get(a.b());
            float[] y = new float[n];
            for (int e = 0; e < n; e++) {
                y[e] = x[e] + z[e];
            }
            return y;
        }
        if (op instanceof AddOp a) {
            long[] x = (long[]) in;
            long[] z = (long[]) env.get(a.b());
            long[] y = new long[n];
            for (int e = 0; e < n; e++) {
                y[e] = BigInteger.valueOf(x[e]).add(BigInteger.valueOf(z[e])).longValueExact();
            }
            return y;
        }
        if (op instanceof DenseOp d) {
            long[] x = (long[]) in;
            long[] y = new long[n];
            int[] w = d.weights();
            long[] bias = d.bias();
            for (int o = 0; o < n; o++) {
                BigInteger s = BigInteger.valueOf(bias[o]);
                for (int j = 0; j < d.inFeatures(); j++) {
                    s = s.add(BigInteger.valueOf(w[o * d.inFeatures() + j]).multiply(BigInteger.valueOf(x[j])));
                }
                y[o] = s.longValueExact();
            }
            return y;
        }
        if (op instanceof ConvOp c) {
            return conv(c, (long[]) in, m.tensor(c.input()).shape(), shape);
        }
        if (op instanceof MultipointDenseOp mp) {
            // y_o = bias_o + Σ_i m_i · (Σ_j q_i[j]·x_j), rows of channel o after those of channels < o
            long[] x = (long[]) in;
            long[] y = new long[n];
            int[] q = mp.codes();
            long[] mult = mp.multipliers();
            int k = mp.inFeatures();
            int row = 0;
            for (int o = 0; o < n; o++) {
                BigInteger s = BigInteger.valueOf(mp.bias()[o]);
                for (int i = 0; i < mp.points()[o]; i++, row++) {
                    BigInteger a = BigInteger.ZERO;
                    for (int j = 0; j < k; j++) {
                        a = a.add(BigInteger.valueOf(q[row * k + j]).multiply(BigInteger.valueOf(x[j])));
                    }
                    s = s.add(a.multiply(BigInteger.valueOf(mult[row])));
                }
                y[o] = s.longValueExact();
            }
            return y;
        }
        if (op instanceof PoolOp p && p.kind() == PoolOp.Kind.FLOAT_AVG) {
            // an independent formulation: coordinates, not PoolGeometry; float32 left-to-right sum, then one division
            float[] x = (float[]) in;
            int[] is = m.tensor(p.input()).shape();
            float[] y = new float[n];
            boolean two = p.window().length == 2;
            int oh = two ? shape[1] : 1;
            int ow = two ? shape[2] : shape[1];
            int ih = two ? is[1] : 1;
            int iw = two ? is[2] : is[1];
            int wh = two ? p.window()[0] : 1;
            int ww = two ? p.window()[1] : p.window()[0];
            int sh = two ? p.stride()[0] : 1;
            int sw = two ? p.stride()[1] : p.stride()[0];
            for (int c = 0; c < shape[0]; c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float s = 0f;
                        for (int ty = 0; ty < wh; ty++) {
                            for (int tx = 0; tx < ww; tx++) {
                                s = s + x[(c * ih + oy * sh + ty) * iw + ox * sw + tx];
                            }
                        }
                        y[(c * oh + oy) * ow + ox] = s / (float) (wh * ww);
                    }
                }
            }
            return y;
        }
        if (op instanceof PoolOp p) {
            long[] x = (long[]) in;
            int[] is = m.tensor(p.input()).shape();
            long[] y = new long[n];
            boolean two = p.window().length == 2;
            int oh = two ? shape[1] : 1;
            int ow = two ? shape[2] : shape[1];
            int ih = two ? is[1] : 1;
            int iw = two ? is[2] : is[1];
            int wh = two ? p.window()[0] : 1;
            int ww = two ? p.window()[1] : p.window()[0];
            int sh = two ? p.stride()[0] : 1;
            int sw = two ? p.stride()[1] : p.stride()[0];
            for (int c = 0; c < shape[0]; c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        BigInteger s = BigInteger.ZERO;
                        long mx = Long.MIN_VALUE;
                        for (int ty = 0; ty < wh; ty++) {
                            for (int tx = 0; tx < ww; tx++) {
                                long v = x[(c * ih + oy * sh + ty) * iw + ox * sw + tx];
                                s = s.add(BigInteger.valueOf(v));
                                mx = Math.max(mx, v);
                            }
                        }
                        y[(c * oh + oy) * ow + ox] = p.kind() == PoolOp.Kind.MAX ? mx : s.longValueExact();
                    }
                }
            }
            return y;
        }
        throw new IllegalStateException(op.opType());
    }

    private static long[] conv(ConvOp c, long[] x, int[] is, int[] os) {
        boolean two = c.kernel().length == 2;
        int ih = two ? is[1] : 1;
        int iw = two ? is[2] : is[1];
        int oh = two ? os[1] : 1;
        int ow = two ? os[2] : os[1];
        int kh = two ? c.kernel()[0] : 1;
        int kw = two ? c.kernel()[1] : c.kernel()[0];
        int[] st = two ? c.stride() : new int[] {1, c.stride()[0]};
        int[] pd = two ? c.padding() : new int[] {0, c.padding()[0]};
        int[] dl = two ? c.dilation() : new int[] {1, c.dilation()[0]};
        long[] y = new long[c.outChannels() * oh * ow];
        int[] w = c.weights();
        long[] bias = c.bias();
        for (int o = 0; o < c.outChannels(); o++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    BigInteger s = BigInteger.valueOf(bias[o]);
                    for (int ci = 0; ci < c.inChannels(); ci++) {
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = oy * st[0] + ky * dl[0] - pd[0];
                                int ix = ox * st[1] + kx * dl[1] - pd[1];
                                long v = (iy >= 0 && iy < ih && ix >= 0 && ix < iw) ? x[(ci * ih + iy) * iw + ix] : 0;
                                long wt = w[((o * c.inChannels() + ci) * kh + ky) * kw + kx];
                                s = s.add(BigInteger.valueOf(wt).multiply(BigInteger.valueOf(v)));
                            }
                        }
                    }
                    y[(o * oh + oy) * ow + ox] = s.longValueExact();
                }
            }
        }
        return y;
    }
}
