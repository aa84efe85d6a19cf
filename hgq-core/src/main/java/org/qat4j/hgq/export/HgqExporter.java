package org.qat4j.hgq.export;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.hgq.nn.AbstractHConv;
import org.qat4j.hgq.nn.AbstractHgqLayer;
import org.qat4j.hgq.nn.HActivation;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HAdd;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.nn.HQuantize;
import org.qat4j.hgq.quant.HgqQuantizer;
import org.qat4j.hgq.quant.QuantizedConstant;
import org.qat4j.hgq.quant.QuantizerFormats;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.LibraryVersion;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.RangeAnalysis;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * Exports a trained, calibrated {@link SequentialBlock} of HGQ blocks ({@code HQuantize},
 * {@code HDense}, {@code HConv1d}, {@code HConv2d}, {@code HActivation}, {@code QatPool} without padding,
 * {@code QatFlatten}, nested {@code SequentialBlock}s, identity blocks, and residual joins: a
 * {@code ParallelBlock} whose join hands the branch outputs through, followed by {@code HAdd}) to an
 * {@link IntegerModel} (HGQ, arXiv 2405.00645 §10):
 * <ul>
 *   <li>an activation quantizer becomes {@code quantize_fixed} on the float input, or
 *       {@code requantize_fixed} on an exact integer accumulator (same values: the quantizer is exact);</li>
 *   <li>a dense/conv layer's products {@code x_j · w_jo} (fractions {@code f_xj + f_wjo}) and its bias are
 *       aligned to one grid {@code 2^-F_o} per output channel, {@code F_o = max} over the non-zero terms, by
 *       shifting the weight and bias mantissas left (exact), so {@code acc_o} is the layer's exact output
 *       in units of {@code 2^-F_o};</li>
 *   <li>a residual join aligns each branch result to the finest fraction per element by left shifts
 *       ({@code requantize_fixed} into a format holding every value, so nothing rounds or saturates) and
 *       sums them with {@code add}: the exact real sum HAdd computes; HAdd's output quantizer follows;</li>
 *   <li>accumulator widths are derived from the interval of every partial sum
 *       ({@link AccumulatorWidths#deriveMinimal}); the network's output is dequantized to float32.</li>
 * </ul>
 * Export after calibration ({@code HgqCalibration.traceMinMax}) so the integer bits come from data;
 * batch norm is folded by the layers themselves ({@code quantizedKernel}, {@code quantizedBias}).
 */
public final class HgqExporter {
    private HgqExporter() {}

    /** Current tensor of the graph under construction. */
    private static final class Cursor {
        String name;
        int[] shape;
        int[] frac; // per element, null while the tensor is float

        Cursor copy() {
            Cursor c = new Cursor();
            c.name = name;
            c.shape = shape;
            c.frac = frac;
            return c;
        }
    }

    /**
     * Exports {@code net}.
     *
     * @param net trained, calibrated network
     * @param inputShape per-sample input shape (no batch axis)
     * @param recipe free text naming the training recipe
     * @param seed training seed
     * @param settings further provenance settings (β, epochs…)
     */
    public static IntegerModel export(SequentialBlock net, Shape inputShape, String recipe, long seed, Map<String, String> settings) {
        Cursor cur = new Cursor();
        cur.name = "input";
        cur.shape = new int[inputShape.dimension()];
        for (int a = 0; a < cur.shape.length; a++) {
            cur.shape[a] = Math.toIntExact(inputShape.get(a));
        }
        IntegerModel.Builder b = IntegerModel.builder().setInput("input", cur.shape).setProvenance(Provenance.handBuilt("HGQ"));
        sequence(b, cur, new ArrayList<>(net.getChildren().values()), "l", "");
        if (cur.frac != null) {
            b.addOp(new DequantizeFixedOp("output", cur.name, cur.frac));
            cur.name = "output";
        }
        b.setOutput(cur.name);
        Map<String, String> s = new LinkedHashMap<>(settings);
        IntegerModel m = b.setProvenance(new Provenance("HGQ", recipe, seed, LibraryVersion.VERSION, s)).build();
        return AccumulatorWidths.deriveMinimal(m);
    }

    /**
     * Exports a list of sibling blocks in order. Op names are {@code prefix + index}; {@code where}
     * names the enclosing branch in messages ("" at the top level).
     */
    private static void sequence(IntegerModel.Builder b, Cursor cur, List<Block> children, String prefix, String where) {
        for (int n = 0; n < children.size(); n++) {
            Block child = children.get(n);
            String p = prefix + n;
            String at = where + "#" + n;
            if (child instanceof HQuantize q) {
                quantize(b, cur, p + "_quant", q.getQuantizer());
            } else if (child instanceof AbstractHgqLayer layer) {
                layer(b, cur, p, layer, at);
            } else if (child instanceof HActivation a) {
                if (a.getType() == HActivationType.RELU) {
                    b.addOp(new ReluOp(p + "_relu", cur.name));
                    cur.name = p + "_relu";
                }
                if (a.getOutputQuantizer() != null) {
                    quantize(b, cur, p + "_quant", a.getOutputQuantizer());
                }
            } else if (child instanceof QatFlatten
                    || child instanceof ai.djl.nn.LambdaBlock lb && "batchFlatten".equals(lb.getName())) {
                b.addOp(new FlattenOp(p + "_flat", cur.name));
                cur.name = p + "_flat";
                cur.shape = new int[] {Arrays.stream(cur.shape).reduce(1, (x, y) -> x * y)};
            } else if (child instanceof QatPool pool) {
                pool(b, cur, p, pool, at);
            } else if (child instanceof ParallelBlock par) {
                Block next = n + 1 < children.size() ? children.get(n + 1) : null;
                if (!(next instanceof HAdd add)) {
                    throw new IllegalArgumentException("block " + at + " (ParallelBlock) is not followed by an HAdd; the integer format"
                            + " exports parallel branches only as residual sums: ParallelBlock(gather, branches) then HAdd");
                }
                residual(b, cur, p, par, add, at);
                n++;
            } else if (child instanceof SequentialBlock inner) {
                sequence(b, cur, new ArrayList<>(inner.getChildren().values()), p + "_", at + "/");
            } else if (isIdentity(child)) {
                continue;
            } else {
                throw new IllegalArgumentException("block " + at + " (" + child.getClass().getName() + ") cannot be exported: supported are"
                        + " HQuantize, HDense, HConv1d, HConv2d, HActivation, QatPool (no padding), QatFlatten, SequentialBlock, and"
                        + " ParallelBlock(gather, branches) followed by HAdd");
            }
        }
    }

    private static boolean isIdentity(Block block) {
        return block instanceof ai.djl.nn.LambdaBlock lb && "identity".equals(lb.getName());
    }

    /**
     * A residual join: each branch is exported from the same input; the branch results are aligned to
     * the finest fraction per element, {@code F_e = max_b f_{b,e}}, by {@code requantize_fixed} ops that
     * only shift left into formats holding every value of the branch (exact: no rounding, no
     * saturation), then summed by {@code add} ops, exactly the real sum that HAdd computes (HGQ arXiv
     * 2405.00645 §3: sums of fixed-point values are exact on the finest grid); HAdd's output quantizer,
     * if any, requantizes the sum.
     */
    private static void residual(IntegerModel.Builder b, Cursor cur, String p, ParallelBlock par, HAdd add, String at) {
        requireGatheringJoin(par, at);
        if (cur.frac == null) {
            throw new IllegalArgumentException("block " + at + " (ParallelBlock) branches from a float tensor; quantize first (HQuantize)");
        }
        List<Block> branches = new ArrayList<>(par.getChildren().values());
        if (branches.size() < 2) {
            throw new IllegalArgumentException("block " + at + " (ParallelBlock) has " + branches.size() + " branch(es); HAdd needs at least 2");
        }
        List<Cursor> results = new ArrayList<>();
        for (int k = 0; k < branches.size(); k++) {
            Cursor c = cur.copy();
            Block branch = branches.get(k);
            List<Block> blocks = branch instanceof SequentialBlock sb ? new ArrayList<>(sb.getChildren().values()) : List.of(branch);
            sequence(b, c, blocks, p + "b" + k + "_", at + "/branch" + k + "/");
            if (c.frac == null) {
                throw new IllegalArgumentException("block " + at + ": branch " + k + " ends in a float tensor; HAdd sums quantized values");
            }
            if (!Arrays.equals(c.shape, results.isEmpty() ? c.shape : results.get(0).shape)) {
                throw new IllegalArgumentException("block " + at + ": branch " + k + " has shape " + Arrays.toString(c.shape)
                        + ", branch 0 has " + Arrays.toString(results.get(0).shape) + "; HAdd needs equal shapes");
            }
            results.add(c);
        }
        int numel = results.get(0).frac.length;
        int[] fine = new int[numel];
        Arrays.fill(fine, Integer.MIN_VALUE);
        for (Cursor c : results) {
            for (int e = 0; e < numel; e++) {
                fine[e] = Math.max(fine[e], c.frac[e]);
            }
        }
        String sum = null;
        for (int k = 0; k < results.size(); k++) {
            String aligned = align(b, results.get(k), fine, p + "b" + k + "_align", at);
            if (sum == null) {
                sum = aligned;
            } else {
                String name = p + "_add" + k;
                b.addOp(new AddOp(name, sum, aligned, 64));
                sum = name;
            }
        }
        cur.name = sum;
        cur.shape = results.get(0).shape;
        cur.frac = fine;
        if (add.getOutputQuantizer() != null) {
            quantize(b, cur, p + "_quant", add.getOutputQuantizer());
        }
    }

    /** Shifts a branch result left onto the fractions {@code to}; returns the name of the aligned tensor. */
    private static String align(IntegerModel.Builder b, Cursor c, int[] to, String name, String at) {
        boolean same = Arrays.equals(c.frac, to);
        if (same) {
            return c.name;
        }
        long[][] range = RangeAnalysis.of(b.setOutput(c.name).build()).range(c.name);
        int n = to.length;
        int[] k = new int[n];
        int[] i = new int[n];
        for (int e = 0; e < n; e++) {
            int shift = to[e] - c.frac[e];
            java.math.BigInteger hi = java.math.BigInteger.valueOf(range[1][e]).shiftLeft(shift);
            java.math.BigInteger lo = java.math.BigInteger.valueOf(range[0][e]).shiftLeft(shift);
            // magnitude bits T with -2^T <= lo and hi <= 2^T - 1
            int t = Math.max(hi.max(java.math.BigInteger.ZERO).bitLength(), lo.signum() < 0 ? lo.negate().subtract(java.math.BigInteger.ONE)
                    .bitLength() : 0);
            if (t > 62) {
                throw new IllegalArgumentException("block " + at + ": aligning element " + e + " (range [" + range[0][e] + ", " + range[1][e]
                        + "] at fraction " + c.frac[e] + ") to fraction " + to[e] + " needs " + t + " magnitude bits, more than 62");
            }
            k[e] = lo.signum() < 0 ? 1 : 0;
            i[e] = t - to[e];
        }
        b.addOp(new RequantizeFixedOp(name, c.name, c.frac, FixedFormats.of(k, i, to.clone(), name), RoundingMode.RND, OverflowMode.SAT));
        return name;
    }

    /** The join must hand every branch's output through, in order, as one NDList (what HAdd then sums). */
    private static void requireGatheringJoin(ParallelBlock par, String at) {
        java.util.function.Function<List<NDList>, NDList> join;
        try {
            java.lang.reflect.Field f = ParallelBlock.class.getDeclaredField("function");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            java.util.function.Function<List<NDList>, NDList> j = (java.util.function.Function<List<NDList>, NDList>) f.get(par);
            join = j;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("block " + at + ": cannot read the ParallelBlock's join function (" + e + ")", e);
        }
        int branches = par.getChildren().size();
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDList> probe = new ArrayList<>();
            for (int k = 0; k < branches; k++) {
                probe.add(new NDList(m.create(new float[] {k + 0.5f}, new Shape(1, 1))));
            }
            NDList joined = join.apply(probe);
            boolean gathers = joined != null && joined.size() == branches;
            for (int k = 0; gathers && k < branches; k++) {
                gathers = joined.get(k) == probe.get(k).get(0);
            }
            if (!gathers) {
                throw new IllegalArgumentException("block " + at + ": the ParallelBlock's join does not hand the branch outputs through in"
                        + " order (it must be e.g. list -> { NDList o = new NDList(); list.forEach(o::addAll); return o; }) so that the"
                        + " following HAdd sums them");
            }
        }
    }

    private static void quantize(IntegerModel.Builder b, Cursor cur, String name, HgqQuantizer q) {
        QuantizerFormats qf = q.formats();
        FixedFormat[] per = perElement(qf, cur.shape, name);
        int[] k = new int[per.length];
        int[] i = new int[per.length];
        int[] f = new int[per.length];
        for (int e = 0; e < per.length; e++) {
            k[e] = per[e].k();
            i[e] = per[e].i();
            f[e] = per[e].f();
        }
        FixedFormats formats = FixedFormats.of(k, i, f, name);
        if (cur.frac == null) {
            b.addOp(new QuantizeFixedOp(name, cur.name, formats, qf.rounding(), qf.overflow()));
        } else {
            b.addOp(new RequantizeFixedOp(name, cur.name, cur.frac, formats, qf.rounding(), qf.overflow()));
        }
        cur.name = name;
        cur.frac = f;
    }

    /** One format per element of the per-sample shape, from a bit shape whose axis 0 is the batch. */
    static FixedFormat[] perElement(QuantizerFormats qf, int[] shape, String name) {
        long[] bits = qf.bitShape();
        if (bits.length != shape.length + 1) {
            throw new IllegalArgumentException(name + ": quantizer bit shape " + Arrays.toString(bits) + " does not match the per-sample"
                    + " shape " + Arrays.toString(shape) + " plus a batch axis");
        }
        int numel = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        FixedFormat[] out = new FixedFormat[numel];
        int[] idx = new int[shape.length];
        for (int e = 0; e < numel; e++) {
            int rest = e;
            for (int a = shape.length - 1; a >= 0; a--) {
                idx[a] = rest % shape[a];
                rest /= shape[a];
            }
            long g = 0;
            for (int a = 0; a < shape.length; a++) {
                long d = bits[a + 1];
                g = g * d + (d == 1 ? 0 : idx[a]);
            }
            out[e] = qf.format(Math.toIntExact(g));
        }
        return out;
    }

    private static void layer(IntegerModel.Builder b, Cursor cur, String p, AbstractHgqLayer layer, String at) {
        quantize(b, cur, p + "_iq", layer.getInputQuantizer());
        FixedFormat[] inFormats = perElement(layer.getInputQuantizer().formats(), cur.shape, p + "_iq");
        QuantizedConstant kernel = layer.quantizedKernel();
        QuantizedConstant bias = layer.quantizedBias();
        long[] km = kernel.mantissas();
        int[] kf = kernel.fractionalBits();
        int out = Math.toIntExact(kernel.shape()[0]);
        int taps = km.length / out;
        boolean conv = layer instanceof AbstractHConv;
        int inChannels = conv ? cur.shape[0] : 1;
        int perChannel = conv ? taps / inChannels : 1;
        int spatial = conv ? Arrays.stream(cur.shape).reduce(1, (x, y) -> x * y) / inChannels : 1;
        // fraction and width of the input a tap reads: per input feature (dense) or per input channel (conv)
        int[] fx = new int[conv ? inChannels : taps];
        boolean[] live = new boolean[fx.length];
        for (int j = 0; j < fx.length; j++) {
            int e0 = conv ? j * spatial : j;
            fx[j] = cur.frac[e0];
            live[j] = !inFormats[e0].isZeroWidth();
            if (conv) {
                for (int e = e0; e < e0 + spatial; e++) {
                    if (cur.frac[e] != fx[j] && !inFormats[e].isZeroWidth()) {
                        throw new IllegalArgumentException("block " + at + ": the convolution's input quantizer gives channel " + j
                                + " more than one fraction (" + fx[j] + " and " + cur.frac[e] + "); export needs per-channel or"
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
                    throw new IllegalArgumentException("block " + at + ": weight " + (o * taps + t) + " aligned to 2^-" + f + " is " + v
                            + ", outside the int32 range of the format");
                }
                w[o * taps + t] = (int) v;
            }
            if (bias != null && bias.mantissas()[o] != 0) {
                bb[o] = shiftLeft(bias.mantissas()[o], f - bias.fractionalBits()[o], "block " + at + " bias " + o);
            }
        }
        String acc = p + "_acc";
        if (layer instanceof HDense dense) {
            if (cur.shape.length != 1) {
                throw new IllegalArgumentException("block " + at + " (HDense) gets per-sample shape " + Arrays.toString(cur.shape)
                        + "; add a QatFlatten first");
            }
            b.addOp(new DenseOp(acc, cur.name, cur.shape[0], Math.toIntExact(dense.getUnits()), w, bb, 64, null));
            cur.shape = new int[] {out};
            cur.frac = accFrac;
        } else {
            AbstractHConv c = (AbstractHConv) layer;
            ConvOp op = new ConvOp(acc, cur.name, inChannels, out, ints(c.getKernel()), ints(c.getStride()), ints(c.getPadding()),
                    ints(c.getDilation()), w, bb, 64, null);
            b.addOp(op);
            cur.shape = b.setOutput(acc).build().tensor(acc).shape();
            int per = Arrays.stream(cur.shape).reduce(1, (x, y) -> x * y) / out;
            cur.frac = new int[out * per];
            for (int e = 0; e < cur.frac.length; e++) {
                cur.frac[e] = accFrac[e / per];
            }
        }
        cur.name = acc;
        if (layer.getActivation() == HActivationType.RELU) {
            b.addOp(new ReluOp(p + "_relu", cur.name));
            cur.name = p + "_relu";
        }
    }

    private static void pool(IntegerModel.Builder b, Cursor cur, String p, QatPool pool, String at) {
        for (long pad : pool.getPadding().getShape()) {
            if (pad != 0) {
                throw new IllegalArgumentException("block " + at + " (QatPool) pads by " + pool.getPadding() + "; the integer format"
                        + " pools without padding");
            }
        }
        if (cur.frac == null) {
            throw new IllegalArgumentException("block " + at + " (QatPool) pools float values; quantize first");
        }
        int channels = cur.shape[0];
        int per = cur.frac.length / channels;
        for (int e = 0; e < cur.frac.length; e++) {
            if (cur.frac[e] != cur.frac[(e / per) * per]) {
                throw new IllegalArgumentException("block " + at + " (QatPool): channel " + (e / per) + " holds more than one fraction;"
                        + " pooling compares and sums on one grid per channel");
            }
        }
        boolean max = pool.getPoolKind() == PoolOp.Kind.MAX;
        int[] window = ints(pool.getWindow());
        PoolOp op = new PoolOp(p + "_pool", cur.name, pool.getPoolKind(), window, ints(pool.getStride()), 64);
        b.addOp(op);
        int grow = max ? 0 : Integer.numberOfTrailingZeros(op.windowSize());
        int[] frac0 = cur.frac;
        cur.name = p + "_pool";
        cur.shape = b.setOutput(cur.name).build().tensor(cur.name).shape();
        int outPer = Arrays.stream(cur.shape).reduce(1, (x, y) -> x * y) / channels;
        cur.frac = new int[channels * outPer];
        for (int e = 0; e < cur.frac.length; e++) {
            cur.frac[e] = frac0[(e / outPer) * per] + grow;
        }
    }

    private static long shiftLeft(long m, int s, String what) {
        if (s < 0 || s > 62 || (s > 0 && (Math.abs(m) >= (1L << (62 - s))))) {
            throw new IllegalArgumentException(what + ": aligning mantissa " + m + " by " + s + " bits leaves the 64-bit range");
        }
        return m << s;
    }

    private static int[] ints(Shape s) {
        int[] out = new int[s.dimension()];
        for (int a = 0; a < out.length; a++) {
            out[a] = Math.toIntExact(s.get(a));
        }
        return out;
    }
}
