package org.qat4j.hgq.export;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.qat4j.core.export.graph.ExportStep;
import org.qat4j.core.export.graph.ExportTensor;
import org.qat4j.hgq.nn.AbstractHConv;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.ReluOp;

/**
 * An HGQ dense or convolution layer in the integer model (HGQ, arXiv 2405.00645 §10): its input
 * quantizer, then {@code dense}/{@code conv} whose products {@code x_j · w_jo} (fractions
 * {@code f_xj + f_wjo}) and bias are aligned to one grid {@code 2^-F_o} per output channel,
 * {@code F_o = max} over the non-zero terms with a live input, by shifting weight and bias mantissas
 * left (exact); {@code acc_o} is then the layer's exact output in units of {@code 2^-F_o}. A fused ReLU
 * follows as {@code relu}.
 */
final class HgqLayerStep {
    private HgqLayerStep() {}

    static ExportTensor<int[]> export(ExportStep<int[]> step, AbstractHgqLayer layer, ExportTensor<int[]> input) {
        String at = step.at();
        ExportTensor<int[]> cur = HgqFormatStep.quantize(step, input, step.name("_iq"), layer.getInputQuantizer());
        int[] shape = cur.shape();
        int[] frac = cur.state();
        FixedFormat[] inFormats = HgqFormatStep.perSample(
                        layer.getInputQuantizer().formats(), shape, step.name("_iq"))
                .expand(shape, step.name("_iq"));
        QuantizedConstant kernel = layer.quantizedKernel();
        QuantizedConstant bias = layer.quantizedBias();
        long[] km = kernel.mantissas();
        int[] kf = kernel.fractionalBits();
        int out = Math.toIntExact(kernel.shape()[0]);
        int taps = km.length / out;
        boolean conv = layer instanceof AbstractHConv;
        int inChannels = conv ? shape[0] : 1;
        int perChannel = conv ? taps / inChannels : 1;
        int spatial = conv ? Arrays.stream(shape).reduce(1, (x, y) -> x * y) / inChannels : 1;
        // fraction and width of the input a tap reads: per input feature (dense) or per input channel (conv)
        int[] fx = new int[conv ? inChannels : taps];
        boolean[] live = new boolean[fx.length];
        for (int j = 0; j < fx.length; j++) {
            int e0 = conv ? j * spatial : j;
            fx[j] = frac[e0];
            live[j] = !inFormats[e0].isZeroWidth();
            if (conv) {
                for (int e = e0; e < e0 + spatial; e++) {
                    if (frac[e] != fx[j] && !inFormats[e].isZeroWidth()) {
                        throw new IllegalArgumentException(
                                "block " + at + ": the convolution's input quantizer gives channel " + j
                                        + " more than one fraction (" + fx[j] + " and " + frac[e]
                                        + "); export needs per-channel or"
                                        + " per-tensor input formats for convolutions");
                    }
                    live[j] |= !inFormats[e].isZeroWidth();
                }
            }
        }
        int[] w = new int[km.length];
        long[] bb = new long[out];
        int[] accFrac = new int[out];
        for (int o = 0; o < out; o++) {
            int f = Integer.MIN_VALUE;
            for (int t = 0; t < taps; t++) {
                int j = t / perChannel;
                if (km[o * taps + t] != 0 && live[j]) {
                    f = Math.max(f, fx[j] + kf[o * taps + t]);
                }
            }
            if (bias != null && bias.mantissas()[o] != 0) {
                f = Math.max(f, bias.fractionalBits()[o]);
            }
            if (f == Integer.MIN_VALUE) {
                f = 0;
            }
            accFrac[o] = f;
            for (int t = 0; t < taps; t++) {
                int j = t / perChannel;
                long m = km[o * taps + t];
                if (m == 0 || !live[j]) {
                    continue;
                }
                long v = shiftLeft(m, f - fx[j] - kf[o * taps + t], "block " + at + " weight " + (o * taps + t));
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("block " + at + ": weight " + (o * taps + t) + " aligned to 2^-"
                            + f + " is " + v + ", outside the int32 range of the format");
                }
                w[o * taps + t] = (int) v;
            }
            if (bias != null && bias.mantissas()[o] != 0) {
                bb[o] = shiftLeft(bias.mantissas()[o], f - bias.fractionalBits()[o], "block " + at + " bias " + o);
            }
        }
        String acc = step.name("_acc");
        int[] outShape;
        int[] outFrac;
        if (layer instanceof HDense dense) {
            if (shape.length != 1) {
                throw new IllegalArgumentException("block " + at + " (HDense) gets per-sample shape "
                        + Arrays.toString(shape) + "; add a QatFlatten first");
            }
            step.add(new DenseOp(acc, cur.name(), shape[0], Math.toIntExact(dense.getUnits()), w, bb, 64, null));
            outShape = new int[] {out};
            outFrac = accFrac;
        } else {
            AbstractHConv c = (AbstractHConv) layer;
            step.add(new ConvOp(
                    acc,
                    cur.name(),
                    inChannels,
                    out,
                    ints(c.getKernel()),
                    ints(c.getStride()),
                    ints(c.getPadding()),
                    ints(c.getDilation()),
                    w,
                    bb,
                    64,
                    null));
            outShape = step.shapeOf(acc);
            int per = Arrays.stream(outShape).reduce(1, (x, y) -> x * y) / out;
            outFrac = new int[out * per];
            for (int e = 0; e < outFrac.length; e++) {
                outFrac[e] = accFrac[e / per];
            }
        }
        ExportTensor<int[]> result = new ExportTensor<>(acc, outShape, outFrac);
        if (layer.getActivation() == HActivationType.RELU) {
            step.add(new ReluOp(step.name("_relu"), acc));
            result = result.named(step.name("_relu"));
        }
        return result;
    }

    private static long shiftLeft(long m, int s, String what) {
        if (s < 0 || s > 62 || (s > 0 && (Math.abs(m) >= (1L << (62 - s))))) {
            throw new IllegalArgumentException(
                    what + ": aligning mantissa " + m + " by " + s + " bits leaves the 64-bit range");
        }
        return m << s;
    }

    static int[] ints(Shape s) {
        int[] out = new int[s.dimension()];
        for (int a = 0; a < out.length; a++) {
            out[a] = Math.toIntExact(s.get(a));
        }
        return out;
    }
}
