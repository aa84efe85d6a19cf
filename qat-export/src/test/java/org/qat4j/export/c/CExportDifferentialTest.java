package org.qat4j.export.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TestModels;

/**
 * Generated C (gcc -std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=off, plain and with UBSan) prints
 * exactly the Java runtime's bytes on 10,000 random and adversarial inputs per model, for every op kind
 * the runtime runs: quantize_fixed/requantize_fixed in every rounding mode (RND, RND_CONV, TRN ...) and
 * overflow mode, dense with int32 and int64 accumulators, multipoint_dense, conv1d/conv2d with padding, stride and
 * dilation, max/avg pooling, add, flatten, relu, embedding (affine and codebook rows), sparq, dequantize_fixed; A2Q's quantize_scaled,
 * dequantize_scaled and avgpool_float.
 */
public class CExportDifferentialTest {

    @TempDir
    Path tmp;

    private int check(IntegerModel m, String dir) throws IOException {
        CDifferentialCheck.Result r =
                CDifferentialCheck.run(m, Files.createDirectories(tmp.resolve(dir)), 5000, 5000, 10_000, 42);
        assertEquals(java.util.List.of(), r.problems());
        return r.samples();
    }

    @Test
    void aChangedWeightIsSeen() throws IOException {
        // the comparison can fail: C generated from one model, compared with the runtime of a model with one weight
        // changed
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 12, 8, 5));
        Path dir = Files.createDirectories(tmp.resolve("changed"));
        CDifferentialCheck.run(m, dir, 100, 100, 200, 1);
        DenseOp d = (DenseOp) m.op("dense3");
        long[] bias = d.bias();
        bias[2] += 1;
        IntegerModel changed = AccumulatorWidths.deriveMinimal(AccumulatorWidths.replace(
                m,
                "dense3",
                new DenseOp(
                        d.name(),
                        d.input(),
                        d.inFeatures(),
                        d.outFeatures(),
                        d.weights(),
                        bias,
                        d.accumulatorBits(),
                        null)));
        float[] x = org.qat4j.export.Predictions.testInputs(m, 200, 0, 3);
        byte[] c = CCompiler.run(dir.resolve("m_fast"), org.qat4j.export.Predictions.inputText(x, 16))
                .stdout();
        assertEquals(
                null,
                org.qat4j.export.Predictions.firstDifference(
                        org.qat4j.export.Predictions.predict(m, x), c, "java", "c"));
        assertTrue(org.qat4j.export.Predictions.firstDifference(
                        org.qat4j.export.Predictions.predict(changed, x), c, "java", "c")
                != null);
    }

    @Test
    void hgqMlpWithPerElementFormats() throws IOException {
        assertEquals(10_000, check(AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 12, 8, 5)), "mlp"));
    }

    @Test
    void everyRoundingAndOverflowMode() throws IOException {
        assertEquals(10_000, check(AccumulatorWidths.deriveMinimal(modesModel(7)), "modes"));
    }

    /**
     * Seven input quantizers of the same input, one per rounding mode, overflow modes in turn, summed by
     * adders; a dense layer; then seven requantizers in a chain, again one per rounding mode, with right
     * shifts, left shifts and zero-width (pruned) elements.
     */
    public static IntegerModel modesModel(long seed) {
        return modesModel(seed, RoundingMode.values().length);
    }

    /** The same with {@code inputQuantizers} input quantizers (1: the single input port of a Verilog export). */
    public static IntegerModel modesModel(long seed, int inputQuantizers) {
        java.util.Random rnd = new java.util.Random(seed);
        int n = 12;
        RoundingMode[] rs = RoundingMode.values();
        OverflowMode[] os = OverflowMode.values();
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", n);
        String sum = null;
        for (int t = 0; t < inputQuantizers; t++) {
            int k = t % 2 == 0 ? 1 : 0;
            b.addOp(new QuantizeFixedOp(
                    "iq" + t, "x", TestModels.randomFormats(rnd, n, k, 7, -1, 6), rs[t], os[t % os.length]));
            if (sum == null) {
                sum = "iq" + t;
            } else {
                b.addOp(new AddOp("sum" + t, sum, "iq" + t, 62));
                sum = "sum" + t;
            }
        }
        int[] w = new int[n * n];
        for (int t = 0; t < w.length; t++) {
            w[t] = rnd.nextInt(9) == 0 ? 0 : rnd.nextInt(41) - 20;
        }
        b.addOp(new DenseOp("d1", sum, n, n, w, null, 62, null));
        String prev = "d1";
        int frac = 9;
        for (int t = 0; t < rs.length; t++) {
            int k = t % 3 == 0 ? 0 : 1;
            FixedFormats f = TestModels.randomFormats(rnd, n, k, 9, frac - 5, frac + 2);
            b.addOp(new RequantizeFixedOp(
                    "rq" + t, prev, new int[] {frac}, f, rs[(t + 3) % rs.length], os[(t + 1) % os.length]));
            prev = "rq" + t;
            frac = 4;
            // the next requantizer reads per-element fractions: use the largest as the common grid
            b.addOp(new RequantizeFixedOp("al" + t, prev, f.f(), alignTo(f, 8), RoundingMode.RND, OverflowMode.SAT));
            prev = "al" + t;
            frac = 8;
        }
        b.addOp(new DequantizeFixedOp("out", prev, new int[] {8}));
        return b.setOutput("out").build();
    }

    /** Signed formats at fraction f wide enough to hold every value of {@code from} (a lossless shift). */
    private static FixedFormats alignTo(FixedFormats from, int f) {
        int n = from.length();
        int[] k = new int[n];
        int[] i = new int[n];
        int[] ff = new int[n];
        for (int e = 0; e < n; e++) {
            k[e] = 1;
            i[e] = Math.max(from.get(e).i(), 0) + 1;
            ff[e] = f;
        }
        return FixedFormats.of(k, i, ff, "align");
    }

    /** Multipoint layers (arXiv 2002.09049): 1-3 points per channel; int32 point registers, then int64 ones. */
    @Test
    void multipointDense() throws IOException {
        assertEquals(
                10_000,
                check(
                        AccumulatorWidths.deriveMinimal(
                                org.qat4j.runtime.model.MultipointModels.mlp(5, 20, 12, 4, 4, 64, 64)),
                        "multipoint"));
        assertEquals(
                10_000,
                check(
                        AccumulatorWidths.deriveMinimal(
                                org.qat4j.runtime.model.MultipointModels.mlp(6, 20, 12, 4, 16, 64, 64)),
                        "multipoint-wide"));
    }

    @Test
    void embeddingBagsAffineAndCodebook() throws IOException {
        assertEquals(
                10_000,
                check(AccumulatorWidths.deriveMinimal(embeddingModel(8, EmbeddingOp.Kind.AFFINE)), "emb-affine"));
        assertEquals(
                10_000,
                check(AccumulatorWidths.deriveMinimal(embeddingModel(9, EmbeddingOp.Kind.CODEBOOK)), "emb-codebook"));
    }

    /**
     * Five float inputs quantized to signed 5-bit indices (some negative, some beyond the 11 rows: padding),
     * summed rows of a 4-bit embedding table (arXiv 1911.02079), requantized and dequantized.
     */
    public static IntegerModel embeddingModel(long seed, EmbeddingOp.Kind kind) {
        java.util.Random rnd = new java.util.Random(seed);
        int rows = 11;
        int dim = 6;
        int bits = 4;
        int[] codes = new int[rows * dim];
        for (int t = 0; t < codes.length; t++) {
            codes[t] = rnd.nextInt(1 << bits);
        }
        long[] scale = null;
        long[] offset = null;
        long[] book = null;
        if (kind == EmbeddingOp.Kind.AFFINE) {
            scale = new long[rows];
            offset = new long[rows];
            for (int r = 0; r < rows; r++) {
                scale[r] = 1 + rnd.nextInt(300);
                offset[r] = rnd.nextInt(4001) - 2000;
            }
        } else {
            book = new long[rows << bits];
            for (int t = 0; t < book.length; t++) {
                book[t] = rnd.nextInt(20001) - 10000;
            }
        }
        return IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 5)
                .addOp(new QuantizeFixedOp(
                        "idx",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {4}, new int[] {0}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new EmbeddingOp("emb", "idx", rows, dim, bits, kind, codes, scale, offset, book, 62))
                .addOp(new RequantizeFixedOp(
                        "q",
                        "emb",
                        new int[] {6},
                        FixedFormats.of(new int[] {1}, new int[] {7}, new int[] {2}, "f"),
                        RoundingMode.RND_CONV,
                        OverflowMode.SAT))
                .addOp(new DequantizeFixedOp("out", "q", new int[] {2}))
                .setOutput("out")
                .build();
    }

    @Test
    void sparqWindowsWithAndWithoutPairs() throws IOException {
        // conv: 3-option rounded windows, vSPARQ pairs, an odd last channel; dense: 2-option truncation, no pairs
        assertEquals(10_000, check(org.qat4j.runtime.model.SparqModels.conv(21, 3, true, true), "sparq-conv"));
        assertEquals(10_000, check(org.qat4j.runtime.model.SparqModels.dense(22, 2, false, false), "sparq-dense"));
        assertEquals(10_000, check(org.qat4j.runtime.model.SparqModels.dense(23, 5, true, true), "sparq-dense-pairs"));
    }

    @Test
    void wideAccumulatorsTruncationAndWrap() throws IOException {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpWide(2, 40, 20));
        assertTrue(
                m.ops().stream()
                        .anyMatch(op -> op instanceof org.qat4j.runtime.model.DenseOp d && d.accumulatorBits() > 32),
                "the model must exercise int64_t accumulators");
        assertEquals(10_000, check(m, "wide"));
    }

    @Test
    void cnnWithPaddingStrideDilationPoolsAndResidualAdd() throws IOException {
        assertEquals(10_000, check(AccumulatorWidths.deriveMinimal(TestModels.cnnFixed(3)), "cnn"));
    }

    @Test
    void conv1dWithTruncationAndSymmetricSaturation() throws IOException {
        assertEquals(10_000, check(AccumulatorWidths.deriveMinimal(TestModels.conv1dFixed(4)), "conv1d"));
    }

    @Test
    void a2qMlpWithFloatScales() throws IOException {
        assertEquals(10_000, check(TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q_PLUS, 16, 20, 10, 4), "a2q"));
    }

    @Test
    void a2qCnnWithFloatAveragePooling() throws IOException {
        assertEquals(10_000, check(TestModels.cnnA2qFloatAvgPool(6), "a2qcnn"));
    }

    @Test
    void a2qResidualWithFloatAdd() throws IOException {
        assertEquals(10_000, check(TestModels.mlpA2qResidual(6), "a2qres"));
    }
}
