package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.quant.HgqQuantizer;

/**
 * Starts an HGQ network (arXiv 2405.00645) from a PTQ twin: layers are paired in block-tree order (counts and weight
 * shapes must agree), every layer gets the PTQ's dequantized weights and its bias, and the PTQ's steps become the
 * initial HGQ fractional bits.
 *
 * <p>HGQ quantizes on power-of-two grids: {@code xq = R(x·2^f)·2^−f} with a trainable f per weight and per input
 * (§3, Eq. 1–2), integer bits derived from the observed range (§4.2). A PTQ weight is {@code q·s_c} with an arbitrary
 * real step s_c. With {@code 2^e ≤ s_c < 2^(e+1)} (e the float exponent of s_c) each weight of channel c gets
 * {@code f = −e}: the finest grid not coarser than the PTQ step, so distinct PTQ integers stay distinct. The map is
 * exact where {@code s_c = 2^e} (then {@code q·s_c·2^f = q}); otherwise HGQ rounds {@code q·s_c} to the 2^e grid, an
 * error of at most {@code 2^(e−1) < s_c/2}. The input quantizer of a layer gets {@code f = −e} of the PTQ activation
 * step in front of it and integer bits {@code i = ⌈log2(α + 2^−f)⌉} for the PTQ clip {@code α = s·maxInt}, so every
 * value the PTQ quantizer can output is representable ({@code i = A − f} exactly for an unsigned A-bit PTQ quantizer
 * with a power-of-two step); training re-derives i from the data as HGQ does.
 *
 * <p>So the started network is the PTQ model exactly only where every step is a power of two, no activation exceeds
 * its PTQ clip (PTQ saturates at α; HGQ's activation quantizer overflows at 2^i by its configured mode) and no value
 * falls on an exact rounding tie (PTQ's activation rounding is half-to-even, HGQ's RND half-up). Each bias gets
 * {@code f = 23 − exponent(b)}, the grid of its own float32 value, so HGQ's bias quantizer keeps it; then a dense
 * layer computes {@code Σ (x·2^−f_x)(q·2^e) + b}, the PTQ layer's {@code (Σ x·q)·(s_x·s_c) + b} bit for bit.
 * {@link Transfer#notes()} says which layers map exactly.
 */
public final class HgqFromPtq {

    private HgqFromPtq() {}

    /** What was transferred: the layer count, and per layer whether its steps were powers of two. */
    public record Transfer(int layers, List<String> notes) {}

    /**
     * Copies the PTQ twin's weights and steps into the HGQ network {@code target}.
     *
     * @param twin the PTQ twin network (initialized)
     * @param target the initialized HGQ network
     * @return what was copied
     * @throws IllegalArgumentException naming the first layer whose count or shape differs, or a quantizer whose
     *     bit granularity cannot hold per-channel steps
     */
    public static Transfer transfer(Block twin, Block target) {
        List<AbstractQLayer> from = BlockTrees.find(twin, AbstractQLayer.class);
        List<AbstractHgqLayer> to = BlockTrees.find(target, AbstractHgqLayer.class);
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("the PTQ network has " + from.size()
                    + " quantized layers, this HGQ network " + to.size() + "; it must be the same network");
        }
        for (int i = 0; i < from.size(); i++) {
            Shape a = from.get(i).getWeightQuantizer().getWeight().getArray().getShape();
            Shape b = to.get(i).getWeight().getArray().getShape();
            if (!a.equals(b)) {
                throw new IllegalArgumentException(
                        "layer " + (i + 1) + " (" + to.get(i).getClass().getSimpleName() + ") has weight shape " + b
                                + " here and " + a + " in the PTQ network");
            }
            boolean ptqBias = from.get(i).getBiasParameter() != null;
            if (ptqBias != (to.get(i).getBiasParameter() != null)) {
                throw new IllegalArgumentException("layer " + (i + 1) + " has a bias in one network only (the PTQ "
                        + "network's " + (ptqBias ? "has one" : "has none") + ")");
            }
            if (to.get(i).isFusedBatchNorm()) {
                throw new IllegalArgumentException(
                        "layer " + (i + 1) + " fuses batch norm here; the PTQ network's " + "layers have none");
            }
        }
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            notes.add(copyLayer(from.get(i), to.get(i), i + 1));
        }
        return new Transfer(from.size(), notes);
    }

    private static String copyLayer(AbstractQLayer src, AbstractHgqLayer dst, int index) {
        var qw = src.quantizedWeights();
        long[][] q = qw.intWeights();
        float[] s = qw.scale();
        int c = q.length;
        int k = q[0].length;
        float[] w = new float[c * k];
        float[] f = new float[c * k];
        boolean exact = true;
        for (int ch = 0; ch < c; ch++) {
            int e = Math.getExponent(s[ch]);
            exact &= s[ch] == Math.scalb(1f, e);
            for (int j = 0; j < k; j++) {
                w[ch * k + j] = q[ch][j] * s[ch];
                f[ch * k + j] = -e;
            }
        }
        try (NoGradScope ignored = NoGradScope.open()) {
            set(dst.getWeight(), w);
            if (src.getBiasParameter() != null) {
                float[] b = src.getBias();
                set(dst.getBiasParameter(), b);
                // each bias on its own float32 grid (f = 23 − exponent), so HGQ's bias quantizer keeps it as it is
                float[] fb = new float[b.length];
                for (int ch = 0; ch < b.length; ch++) {
                    fb[ch] = b[ch] == 0 ? 0 : 23 - Math.getExponent(b[ch]);
                }
                setBits(dst.getBiasQuantizer().getFractionalBitsParameter(), fb, c, "layer " + index + " bias");
            }
            setBits(dst.getKernelQuantizer().getFractionalBitsParameter(), f, c, "layer " + index + " kernel");
        }
        ActivationQuantizer in = src.getInputQuantizer();
        String input = "";
        if (in != null) {
            float step = in.scaleValue();
            int e = Math.getExponent(step);
            double alpha = (double) step * in.maxInt();
            int fa = -e;
            // the smallest i with 2^i − 2^−f ≥ α, from the exponent of α + 2^−f (exact in double)
            double top = alpha + Math.scalb(1.0, -fa);
            int ia = top == Math.scalb(1.0, Math.getExponent(top)) ? Math.getExponent(top) : Math.getExponent(top) + 1;
            HgqQuantizer hq = dst.getInputQuantizer();
            try (NoGradScope ignored = NoGradScope.open()) {
                fill(hq.getFractionalBitsParameter(), fa);
                fill(hq.getIntegerBitsParameter(), ia);
            }
            boolean stepExact = step == Math.scalb(1f, e);
            exact &= stepExact;
            input = ", input f = " + fa + ", i = " + ia + (stepExact ? "" : " (step " + step + " not a power of two)");
        }
        return "layer " + index + ": weights q·s, kernel f = −exponent(s_c)" + input
                + (exact ? ": every step a power of two, exact" : ": some steps not powers of two, rounded to 2^−f");
    }

    /** Writes per-weight bits into a fractional-bit parameter of weight shape, or of one value per tensor. */
    private static void setBits(Parameter bits, float[] perWeight, int channels, String what) {
        NDArray p = bits.getArray();
        long size = p.getShape().size();
        if (size == perWeight.length) {
            p.set(perWeight);
        } else if (size == 1) {
            float max = perWeight[0];
            for (float x : perWeight) {
                max = Math.max(max, x);
            }
            p.set(new float[] {max});
        } else {
            throw new IllegalArgumentException(what + ": fractional bits of shape " + p.getShape()
                    + " cannot hold one step per channel of " + channels + " channels");
        }
    }

    private static void fill(Parameter p, float value) {
        float[] v = new float[Math.toIntExact(p.getArray().getShape().size())];
        Arrays.fill(v, value);
        p.getArray().set(v);
    }

    private static void set(Parameter p, float[] values) {
        NDArray a = p.getArray();
        if (a.getShape().size() != values.length) {
            throw new IllegalArgumentException(
                    "parameter " + p.getName() + " has " + a.getShape().size() + " values, not " + values.length);
        }
        if (a.getDataType() == DataType.FLOAT32) {
            a.set(values);
        } else {
            try (NDArray tmp = a.getManager().create(values, a.getShape())) {
                a.set(tmp.toType(a.getDataType(), false).toByteBuffer());
            }
        }
    }
}
