package org.qat4j.ptq.multipoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.LibraryVersion;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * A float MLP ({@code dense → ReLU → … → dense}) to an integer model of {@code multipoint_dense} ops
 * (multipoint quantization, Liu et al., arXiv 2002.09049): each layer's channels get one greedy point
 * and the layer's {@code ⌊budget·O⌋} extra points go to the channels with the largest calibration
 * output error ({@link MultipointApproximation#allocate}); {@code budget = 0} is plain per-channel
 * b-bit quantization with a searched scale. Scales become integer multipliers on one grid per layer,
 * {@code aᵢ ≈ m·2^-F} with {@code F} chosen so the largest multiplier has {@value #MULTIPLIER_BITS}
 * bits; biases are rounded onto the output grid {@code 2^-(f_x+F)}. Activations are fixed point: the
 * input signed 8 bits, hidden ReLU outputs unsigned {@code A} bits, each with the fewest integer bits
 * that hold the calibration maximum (RND, SAT). Accumulator widths are the minimal proven ones
 * ({@link AccumulatorWidths#deriveMinimal}). Plain Java: the weights come as arrays.
 */
public final class MultipointQuantizer {
    /** Bits of the largest multiplier of a layer (magnitude). */
    public static final int MULTIPLIER_BITS = 16;
    /** Bits of the model input's format (signed). */
    public static final int INPUT_BITS = 8;

    /** One float dense layer: {@code weights[o][j]}, {@code bias[o]}. */
    public record Layer(double[][] weights, double[] bias) {}

    /** The integer model and what it cost. */
    public record Result(IntegerModel model, int[] pointsPerLayer, long weightBits, long multiplierBits) {
        /** Stored weight bits: codes plus multipliers (biases not counted). */
        public long storedBits() {
            return weightBits + multiplierBits;
        }
    }

    private MultipointQuantizer() {}

    /**
     * Quantizes {@code layers} (ReLU between consecutive layers), every layer at the same widths.
     *
     * @param calibration float inputs {@code [N][K₀]} of the first layer (the network's own inputs)
     * @param weightBits b, 2..16
     * @param actBits A of every hidden activation, 2..16
     * @param budget extra points per layer as a fraction of its output channels, ≥ 0
     */
    public static Result quantize(
            List<Layer> layers,
            double[][] calibration,
            int weightBits,
            int actBits,
            double budget,
            Provenance provenance) {
        int[] in = new int[layers.size()];
        int[] w = new int[layers.size()];
        java.util.Arrays.fill(in, actBits);
        java.util.Arrays.fill(w, weightBits);
        in[0] = INPUT_BITS;
        if (!(budget >= 0)) {
            throw new IllegalArgumentException("budget = " + budget + ": must be >= 0");
        }
        double[][][] acts = activations(layers, calibration);
        List<List<List<MultipointApproximation.Point>>> pts = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            checkBits("weight bits", w[l]);
            pts.add(points(layers.get(l), acts[l], w[l], budget));
        }
        return assemble(layers, acts, in, w, pts, provenance);
    }

    /** One layer's points: one per channel, then {@code ⌊budget·O⌋} extra to the largest calibration output error. */
    public static List<List<MultipointApproximation.Point>> points(
            Layer layer, double[][] input, int weightBits, double budget) {
        return MultipointApproximation.allocate(
                layer.weights(), input, weightBits, (int) Math.floor(budget * layer.weights().length));
    }

    /** The float inputs of every layer ({@code [L + 1][N][·]}: entry l feeds layer l, ReLU applied; the last is the logits). */
    public static double[][][] activations(List<Layer> layers, double[][] calibration) {
        double[][][] acts = new double[layers.size() + 1][][];
        acts[0] = calibration;
        for (int l = 0; l < layers.size(); l++) {
            double[][] y = forward(layers.get(l), acts[l]);
            if (l < layers.size() - 1) {
                for (double[] row : y) {
                    for (int o = 0; o < row.length; o++) {
                        row[o] = Math.max(0, row[o]);
                    }
                }
            }
            acts[l + 1] = y;
        }
        return acts;
    }

    /**
     * The integer model of given points and widths.
     *
     * @param acts {@link #activations} of the calibration inputs (their maxima set the activation formats)
     * @param inputBits per layer, the width of its input: layer 0's is the model input's (signed), the others' the hidden
     *     ReLU outputs' (unsigned)
     * @param weightBits per layer, the codes' width (what {@code points} were fitted at)
     * @param points per layer and channel
     */
    public static Result assemble(
            List<Layer> layers,
            double[][][] acts,
            int[] inputBits,
            int[] weightBits,
            List<List<List<MultipointApproximation.Point>>> points,
            Provenance provenance) {
        for (int l = 0; l < layers.size(); l++) {
            checkBits("activation bits", inputBits[l]);
            checkBits("weight bits", weightBits[l]);
        }
        int k0 = layers.get(0).weights()[0].length;
        IntegerModel.Builder b =
                IntegerModel.builder().setProvenance(provenance).setInput("x", k0);
        FixedFormat inFmt = format(1, maxAbs(acts[0]), inputBits[0]);
        b.addOp(new QuantizeFixedOp("q0", "x", FixedFormats.uniform(inFmt), RoundingMode.RND, OverflowMode.SAT));
        String prev = "q0";
        int frac = inFmt.f();
        int[] rowsPerLayer = new int[layers.size()];
        long wBits = 0;
        long mBits = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int out = layer.weights().length;
            List<List<MultipointApproximation.Point>> pts = points.get(l);
            double maxScale = 0;
            int rows = 0;
            for (List<MultipointApproximation.Point> p : pts) {
                rows += p.size();
                for (MultipointApproximation.Point pt : p) {
                    maxScale = Math.max(maxScale, pt.scale());
                }
            }
            // the largest multiplier in [2^15, 2^16)
            int f = maxScale == 0 ? 0 : (MULTIPLIER_BITS - 1) - Math.getExponent(maxScale);
            int k = layer.weights()[0].length;
            int[] counts = new int[out];
            int[] codes = new int[rows * k];
            long[] mult = new long[rows];
            int r = 0;
            for (int o = 0; o < out; o++) {
                counts[o] = pts.get(o).size();
                for (MultipointApproximation.Point pt : pts.get(o)) {
                    System.arraycopy(pt.codes(), 0, codes, r * k, k);
                    mult[r] = Math.round(Math.scalb(pt.scale(), f));
                    r++;
                }
            }
            int outFrac = frac + f;
            long[] bias = new long[out];
            for (int o = 0; o < out; o++) {
                bias[o] = Math.round(Math.scalb(layer.bias()[o], outFrac));
            }
            String name = "mp" + (l + 1);
            b.addOp(new MultipointDenseOp(name, prev, k, out, weightBits[l], counts, codes, mult, bias, 64, 64));
            rowsPerLayer[l] = rows;
            wBits += (long) rows * k * weightBits[l];
            mBits += (long) rows * MULTIPLIER_BITS;
            if (l == layers.size() - 1) {
                b.addOp(new DequantizeFixedOp("out", name, new int[] {outFrac}));
            } else {
                double max = 0;
                for (double[] row : acts[l + 1]) {
                    for (double v : row) {
                        max = Math.max(max, v);
                    }
                }
                FixedFormat hid = format(0, max, inputBits[l + 1]);
                b.addOp(new ReluOp("relu" + (l + 1), name));
                b.addOp(new RequantizeFixedOp(
                        "q" + (l + 1),
                        "relu" + (l + 1),
                        new int[] {outFrac},
                        FixedFormats.uniform(hid),
                        RoundingMode.RND,
                        OverflowMode.SAT));
                prev = "q" + (l + 1);
                frac = hid.f();
            }
        }
        IntegerModel m = AccumulatorWidths.deriveMinimal(b.setOutput("out").build());
        return new Result(m, rowsPerLayer, wBits, mBits);
    }

    private static void checkBits(String what, int bits) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException(what + " = " + bits + ": must lie in [2, 16]");
        }
    }

    /** A provenance for a multipoint model of {@code recipe}. */
    public static Provenance provenance(
            String recipe, long seed, int weightBits, int actBits, double budget, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>(extra);
        s.put("weightBits", Integer.toString(weightBits));
        s.put("actBits", Integer.toString(actBits));
        s.put("budget", Double.toString(budget));
        return new Provenance("multipoint", recipe, seed, LibraryVersion.VERSION, s);
    }

    /** {@code (k, i, width − k − i)} with the fewest integer bits i ≥ −(width − k) whose range holds {@code max}. */
    static FixedFormat format(int k, double max, int width) {
        int i = max <= 0 ? 0 : Math.getExponent(max) + 1; // 2^i > max
        return new FixedFormat(k, i, width - k - i);
    }

    private static double maxAbs(double[][] x) {
        double m = 0;
        for (double[] row : x) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** Float forward of one layer, {@code [N][O]}. */
    private static double[][] forward(Layer layer, double[][] x) {
        int out = layer.weights().length;
        double[][] y = new double[x.length][out];
        for (int s = 0; s < x.length; s++) {
            for (int o = 0; o < out; o++) {
                double acc = layer.bias()[o];
                double[] w = layer.weights()[o];
                for (int j = 0; j < w.length; j++) {
                    acc += w[j] * x[s][j];
                }
                y[s][o] = acc;
            }
        }
        return y;
    }
}
