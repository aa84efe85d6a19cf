package org.qat4j.onnx;

import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.PoolGeometry;
import org.qat4j.runtime.model.PoolOp;

/**
 * Window ops of the exact form. Float32 convolutions are ONNX {@code Conv} (every partial sum below
 * 2^24 is exact in any order, which the certificate proves before float32 is chosen). Float64
 * convolutions, which ONNX Runtime's CPU {@code Conv} does not run, become gathered patches
 * (im2col) and a float64 {@code MatMul}: {@code acc[o][p] = bias_o + Σ_t W[o][t] · patch[p][t]}, padded
 * taps reading an appended zero. {@code avgpool_float} repeats PyTorch's CPU order: a float32 sum of
 * the window taps in row-major order starting from +0, then one division by the element count.
 */
final class ConvNodes {
    private final OnnxGraph g;

    ConvNodes(OnnxGraph g) {
        this.g = g;
    }

    String conv(ConvOp c, String x, NumType t, int[] inShape, int[] outShape) {
        String h = c.name();
        int rank = c.kernel().length;
        if (t == NumType.F32) {
            long[] wDims = new long[rank + 2];
            wDims[0] = c.outChannels();
            wDims[1] = c.inChannels();
            for (int a = 0; a < rank; a++) {
                wDims[a + 2] = c.kernel()[a];
            }
            int[] pads = new int[2 * rank];
            for (int a = 0; a < rank; a++) {
                pads[a] = c.padding()[a];
                pads[a + rank] = c.padding()[a];
            }
            String w = g.constReal(h + "/weights", t, toDouble(c.weights()), wDims);
            String b = g.constReal(h + "/b", t, ExactFormWriter.toDouble(c.bias()), c.outChannels());
            return g.op(
                    "Conv",
                    h,
                    x,
                    w,
                    b,
                    OnnxGraph.Attr.ints("kernel_shape", c.kernel()),
                    OnnxGraph.Attr.ints("strides", c.stride()),
                    OnnxGraph.Attr.ints("pads", pads),
                    OnnxGraph.Attr.ints("dilations", c.dilation()),
                    OnnxGraph.Attr.i("group", 1));
        }
        int inNumel = numel(inShape);
        int positions = numel(outShape) / c.outChannels();
        int taps = c.taps();
        long[] idx = patchIndices(c, inShape, outShape, inNumel);
        String flat = g.op("Flatten", h + "/flat", x, OnnxGraph.Attr.i("axis", 1));
        String padded = g.op("Pad", h + "/padded", flat, g.constLong(h + "/pads", new long[] {0, 0, 0, 1}, 4));
        String patches = g.op(
                "Gather",
                h + "/patches",
                padded,
                g.constLong(h + "/idx", idx, positions, taps),
                OnnxGraph.Attr.i("axis", 1));
        String w = g.constReal(
                h + "/weightsT",
                t,
                ExactFormWriter.transpose(c.weights(), c.outChannels(), taps),
                taps,
                c.outChannels());
        String acc = g.op("MatMul", h + "/matmul", patches, w);
        if (ExactFormWriter.hasBias(c.bias())) {
            acc = g.op(
                    "Add",
                    h + "/bias",
                    acc,
                    g.constReal(h + "/b", t, ExactFormWriter.toDouble(c.bias()), c.outChannels()));
        }
        String chw = g.op("Transpose", h + "/channelsFirst", acc, OnnxGraph.Attr.ints("perm", 0, 2, 1));
        return reshape(h, chw, outShape);
    }

    /** Per output position and tap (channel, kernel row, kernel column) the flat input index, or {@code inNumel} for padding. */
    private static long[] patchIndices(ConvOp c, int[] in, int[] out, int inNumel) {
        int rank = c.kernel().length;
        int ih = rank == 2 ? in[1] : 1;
        int iw = in[rank];
        int oh = rank == 2 ? out[1] : 1;
        int ow = out[rank];
        int kh = rank == 2 ? c.kernel()[0] : 1;
        int kw = c.kernel()[rank - 1];
        int sh = rank == 2 ? c.stride()[0] : 1;
        int sw = c.stride()[rank - 1];
        int ph = rank == 2 ? c.padding()[0] : 0;
        int pw = c.padding()[rank - 1];
        int dh = rank == 2 ? c.dilation()[0] : 1;
        int dw = c.dilation()[rank - 1];
        int taps = c.taps();
        long[] idx = new long[oh * ow * taps];
        int n = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                for (int ch = 0; ch < c.inChannels(); ch++) {
                    for (int ty = 0; ty < kh; ty++) {
                        for (int tx = 0; tx < kw; tx++) {
                            int yy = y * sh + ty * dh - ph;
                            int xx = x * sw + tx * dw - pw;
                            boolean inside = yy >= 0 && yy < ih && xx >= 0 && xx < iw;
                            idx[n++] = inside ? (long) (ch * ih + yy) * iw + xx : inNumel;
                        }
                    }
                }
            }
        }
        return idx;
    }

    /**
     * The integer window sum of {@code avgpool} in float64 (ONNX Runtime's CPU AveragePool is float32
     * only): the window taps gathered and added, exact in any order within the certificate's bounds.
     */
    String windowSum(PoolOp p, String x, int[] inShape, int[] outShape) {
        return taps(p, x, inShape, outShape, false);
    }

    String floatAveragePool(PoolOp p, String x, int[] inShape, int[] outShape) {
        return taps(p, x, inShape, outShape, true);
    }

    private String taps(PoolOp p, String x, int[] inShape, int[] outShape, boolean floatMean) {
        String h = p.name();
        int outNumel = numel(outShape);
        PoolGeometry geo = new PoolGeometry(inShape, outShape, p.window(), p.stride());
        int[][] windows = new int[outNumel][];
        for (int e = 0; e < outNumel; e++) {
            windows[e] = geo.window(e);
        }
        String flat = g.op("Flatten", h + "/flat", x, OnnxGraph.Attr.i("axis", 1));
        String zero = floatMean ? g.scalar(h + "/zero", NumType.F32, 0.0) : null;
        String sum = null;
        int n = p.windowSize();
        for (int tap = 0; tap < n; tap++) {
            long[] idx = new long[outNumel];
            for (int e = 0; e < outNumel; e++) {
                idx[e] = windows[e][tap];
            }
            String v = g.op(
                    "Gather",
                    h + "/tap" + tap,
                    flat,
                    g.constLong(h + "/idx" + tap, idx, outNumel),
                    OnnxGraph.Attr.i("axis", 1));
            if (sum == null) {
                // +0.0f + v: v itself, except that a -0 becomes +0
                sum = floatMean ? g.op("Where", h + "/sum0", g.op("Equal", h + "/isZero", v, zero), zero, v) : v;
            } else {
                sum = g.op("Add", h + "/sum" + tap, sum, v);
            }
        }
        if (!floatMean) {
            return reshape(h, sum, outShape);
        }
        String mean = g.op("Div", h + "/mean", sum, g.constFloat(h + "/n", new float[] {n}));
        return reshape(h, mean, outShape);
    }

    private String reshape(String h, String v, int[] shape) {
        long[] dims = new long[shape.length + 1];
        dims[0] = -1;
        for (int a = 0; a < shape.length; a++) {
            dims[a + 1] = shape[a];
        }
        return g.op("Reshape", h, v, g.constLong(h + "/shape", dims, dims.length));
    }

    private static int numel(int[] s) {
        int n = 1;
        for (int d : s) {
            n *= d;
        }
        return n;
    }

    private static double[] toDouble(int[] v) {
        double[] d = new double[v.length];
        for (int t = 0; t < v.length; t++) {
            d[t] = v[t];
        }
        return d;
    }
}
