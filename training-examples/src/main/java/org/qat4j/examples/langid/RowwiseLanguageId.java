package org.qat4j.examples.langid;

import java.util.List;
import java.util.Map;
import org.qat4j.datasets.words.DebianWordLists;
import org.qat4j.ptq.rows.RowwiseQuantizer;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * Post-training row-wise quantization of the {@link LanguageIdNet} into an integer model:
 * {@code quantize_fixed} (indices, k=1, f=0) → {@code embedding} (rows by {@link RowwiseQuantizer},
 * arXiv 1911.02079) → {@code relu} → {@code requantize_fixed} (8-bit unsigned, fraction from the
 * largest calibration activation) → {@code dense} (int8 weights at a power-of-two fraction) →
 * {@code dequantize_fixed}. Accumulator widths are derived minimal. {@link #twin} is the same network
 * as a DJL block (FLOAT64 on the engine, logits rounded to float32 once) for {@code ExportPipeline}'s
 * bit-for-bit comparison with the runtime.
 */
public final class RowwiseLanguageId {
    /** Activation bits after the bag. */
    public static final int ACT_BITS = 8;
    /** Classifier weight bits. */
    public static final int WEIGHT_BITS = 8;

    private final IntegerModel model;
    private final double[] table;
    private final int fraction;
    private final int actFrac;
    private final int weightFrac;
    private final int[] weights;
    private final long[] bias;
    private final int buckets;
    private final int dim;
    private final int indexBits;

    private RowwiseLanguageId(
            IntegerModel model,
            double[] table,
            int fraction,
            int actFrac,
            int weightFrac,
            int[] weights,
            long[] bias,
            int buckets,
            int dim,
            int indexBits) {
        this.model = model;
        this.table = table;
        this.fraction = fraction;
        this.actFrac = actFrac;
        this.weightFrac = weightFrac;
        this.weights = weights;
        this.bias = bias;
        this.buckets = buckets;
        this.dim = dim;
        this.indexBits = indexBits;
    }

    /**
     * Quantizes {@code net}: rows by {@code method} at {@code bits}; the activation range from the largest
     * bag activation over {@code calibration} (training words).
     */
    public static RowwiseLanguageId quantize(
            LanguageIdNet net,
            RowwiseQuantizer.Method method,
            int bits,
            List<DebianWordLists.Word> calibration,
            long seed) {
        float[] t = net.table();
        int buckets = net.hasher().buckets();
        int dim = net.dim();
        int positions = net.hasher().positions();
        double maxAbs = 0;
        for (float v : t) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        int frac = RowwiseQuantizer.fraction(maxAbs, positions, 32);
        RowwiseQuantizer.Result rows =
                RowwiseQuantizer.quantize(t, buckets, dim, method, bits, frac, 32, "emb", "idx", seed);
        double maxAct = 1e-6;
        for (int[] idx : LanguageIdNet.indices(calibration, net.hasher())) {
            double[] e = new double[dim];
            for (int r : idx) {
                if (r >= 0) {
                    for (int d = 0; d < dim; d++) {
                        e[d] += rows.values()[r * dim + d];
                    }
                }
            }
            for (double v : e) {
                maxAct = Math.max(maxAct, v);
            }
        }
        int actInt = Math.getExponent(maxAct) + 1; // 2^actInt > maxAct
        int actFrac = ACT_BITS - actInt;
        float[] w = net.classifierWeight();
        float[] b = net.classifierBias();
        double wMax = 1e-12;
        for (float v : w) {
            wMax = Math.max(wMax, Math.abs(v));
        }
        int wLimit = (1 << (WEIGHT_BITS - 1)) - 1;
        int wFrac = (int) Math.floor(Math.log(wLimit / wMax) / Math.log(2));
        int[] wq = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            wq[i] = (int) Math.max(-wLimit, Math.min(wLimit, Math.round(Math.scalb((double) w[i], wFrac))));
        }
        long[] bq = new long[b.length];
        for (int i = 0; i < b.length; i++) {
            bq[i] = Math.round(Math.scalb((double) b[i], actFrac + wFrac));
        }
        int indexBits = 32 - Integer.numberOfLeadingZeros(buckets - 1);
        int classes = b.length;
        IntegerModel m = IntegerModel.builder()
                .setProvenance(new Provenance(
                        "row-wise " + method.name().toLowerCase(java.util.Locale.ROOT) + " " + bits + "-bit",
                        "language-id",
                        seed,
                        org.qat4j.runtime.model.LibraryVersion.VERSION,
                        Map.of(
                                "rows.method",
                                method.name(),
                                "rows.bits",
                                Integer.toString(bits),
                                "rows.fraction",
                                Integer.toString(frac))))
                .setInput("x", positions)
                .addOp(new QuantizeFixedOp(
                        "idx",
                        "x",
                        FixedFormats.uniform(new FixedFormat(1, indexBits, 0)),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(rows.op())
                .addOp(new ReluOp("relu", "emb"))
                .addOp(new RequantizeFixedOp(
                        "act",
                        "relu",
                        new int[] {frac},
                        FixedFormats.uniform(new FixedFormat(0, actInt, actFrac)),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new DenseOp("logits", "act", dim, classes, wq, bq, 32, null))
                .addOp(new DequantizeFixedOp("out", "logits", new int[] {actFrac + wFrac}))
                .setOutput("out")
                .build();
        return new RowwiseLanguageId(
                AccumulatorWidths.deriveMinimal(m),
                rows.values(),
                frac,
                actFrac,
                wFrac,
                wq,
                bq,
                buckets,
                dim,
                indexBits);
    }

    /** The integer model. */
    public IntegerModel model() {
        return model;
    }

    /** Model inputs {@code [words × positions]}: the n-gram indices as floats, −1 for padding. */
    public static float[] inputs(List<DebianWordLists.Word> words, LanguageIdNet net) {
        int[][] idx = LanguageIdNet.indices(words, net.hasher());
        int l = net.hasher().positions();
        float[] x = new float[idx.length * l];
        for (int s = 0; s < idx.length; s++) {
            for (int p = 0; p < l; p++) {
                x[s * l + p] = idx[s][p];
            }
        }
        return x;
    }

    /** Integer-model accuracy on {@code words}. */
    public double accuracy(List<DebianWordLists.Word> words, LanguageIdNet net) {
        float[] out = IntegerRuntime.compile(model).runFloat(inputs(words, net), words.size());
        int classes = out.length / words.size();
        int right = 0;
        for (int s = 0; s < words.size(); s++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (out[s * classes + c] > out[s * classes + best]) {
                    best = c;
                }
            }
            right += best == words.get(s).label() ? 1 : 0;
        }
        return (double) right / words.size();
    }

    /** The quantized network as a DJL block (FLOAT64 on the engine, float32 logits), for {@code ExportPipeline}. */
    public ai.djl.nn.Block twin() {
        int classes = bias.length;
        double[] wd = new double[weights.length];
        for (int i = 0; i < wd.length; i++) {
            wd[i] = Math.scalb((double) weights[i], -weightFrac);
        }
        double[] bd = new double[classes];
        for (int i = 0; i < classes; i++) {
            bd[i] = Math.scalb((double) bias[i], -(actFrac + weightFrac));
        }
        return new RowwiseTwinBlock(table, buckets, dim, indexBits, actFrac, wd, bd);
    }

    /** Mean squared difference between the decoded table and the float table. */
    public double tableMse(LanguageIdNet net) {
        float[] t = net.table();
        double s = 0;
        for (int i = 0; i < t.length; i++) {
            double d = table[i] - t[i];
            s += d * d;
        }
        return s / t.length;
    }

    /** Fraction F of the embedding grid. */
    public int fraction() {
        return fraction;
    }
}
