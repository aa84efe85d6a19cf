package org.qat4j.runtime.model;

import java.util.Random;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/** Small random integer models for tests: HGQ-style fixed-point and A2Q-style scaled. */
public final class TestModels {
    private TestModels() {}

    /** Random formats per element with widths in [0, maxWidth] and f in [fLo, fHi]. */
    public static FixedFormats randomFormats(Random rnd, int n, int k, int maxWidth, int fLo, int fHi) {
        int[] kk = new int[n];
        int[] ii = new int[n];
        int[] ff = new int[n];
        for (int e = 0; e < n; e++) {
            kk[e] = k;
            ff[e] = fLo + rnd.nextInt(fHi - fLo + 1);
            int width = rnd.nextInt(maxWidth + 1);
            ii[e] = width - k - ff[e];
        }
        return FixedFormats.of(kk, ii, ff, "test");
    }

    static int[] randomWeights(Random rnd, int n, int maxAbs) {
        int[] w = new int[n];
        for (int t = 0; t < n; t++) {
            w[t] = rnd.nextInt(2 * maxAbs + 1) - maxAbs;
        }
        return w;
    }

    static long[] randomBias(Random rnd, int n, int maxAbs) {
        long[] b = new long[n];
        for (int t = 0; t < n; t++) {
            b[t] = rnd.nextInt(2 * maxAbs + 1) - maxAbs;
        }
        return b;
    }

    /**
     * An HGQ-style MLP: per-element input formats (fraction 4), dense layers with weights aligned to
     * fraction 3, accumulators at fraction 7, requantized (RND, SAT) to per-element unsigned formats
     * at fraction 4 after ReLU; the last layer is dequantized to float.
     */
    public static IntegerModel mlpFixed(long seed, int... sizes) {
        Random rnd = new Random(seed);
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", sizes[0]);
        b.addOp(new QuantizeFixedOp(
                "q0", "x", randomFormatsAtFrac(rnd, sizes[0], 1, 8, 4), RoundingMode.RND, OverflowMode.SAT));
        String prev = "q0";
        for (int l = 1; l < sizes.length; l++) {
            String d = "dense" + l;
            b.addOp(new DenseOp(
                    d,
                    prev,
                    sizes[l - 1],
                    sizes[l],
                    randomWeights(rnd, sizes[l - 1] * sizes[l], 60),
                    randomBias(rnd, sizes[l], 2000),
                    32,
                    null));
            if (l == sizes.length - 1) {
                b.addOp(new DequantizeFixedOp("out", d, new int[] {7}));
            } else {
                b.addOp(new ReluOp("relu" + l, d));
                b.addOp(new RequantizeFixedOp(
                        "q" + l,
                        "relu" + l,
                        new int[] {7},
                        randomFormatsAtFrac(rnd, sizes[l], 0, 8, 4),
                        RoundingMode.RND,
                        OverflowMode.SAT));
                prev = "q" + l;
            }
        }
        return b.setOutput("out").build();
    }

    /**
     * A dense model whose accumulators exceed 32 bits ({@code wBits}-bit weights, 13-bit inputs, K inputs),
     * requantized with TRN and WRAP into signed 6-bit formats: exercises the runtime's long and chunked
     * paths and the wrapping fast path.
     */
    public static IntegerModel mlpWide(long seed, int k, int wBits) {
        Random rnd = new Random(seed);
        int[] w1 = randomWeights(rnd, 24 * k, (1 << (wBits - 1)) - 1);
        int[] w2 = randomWeights(rnd, 3 * 24, 100);
        return IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", k)
                .addOp(new QuantizeFixedOp(
                        "q0",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {8}, new int[] {4}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new DenseOp("d1", "q0", k, 24, w1, randomBias(rnd, 24, 1 << 20), 64, null))
                .addOp(new RequantizeFixedOp(
                        "q1",
                        "d1",
                        new int[] {10},
                        FixedFormats.of(new int[] {1}, new int[] {2}, new int[] {3}, "f"),
                        RoundingMode.TRN,
                        OverflowMode.WRAP))
                .addOp(new DenseOp("d2", "q1", 24, 3, w2, null, 64, null))
                .addOp(new DequantizeFixedOp("out", "d2", new int[] {3}))
                .setOutput("out")
                .build();
    }

    /** Per-element formats all at fraction {@code f}, width in [1, maxWidth]. */
    public static FixedFormats randomFormatsAtFrac(Random rnd, int n, int k, int maxWidth, int f) {
        int[] kk = new int[n];
        int[] ii = new int[n];
        int[] ff = new int[n];
        for (int e = 0; e < n; e++) {
            kk[e] = k;
            ff[e] = f;
            ii[e] = 1 + rnd.nextInt(maxWidth) - k - f;
        }
        return FixedFormats.of(kk, ii, ff, "test");
    }

    /** A small CNN: conv2d (padding, stride, dilation) → relu → requant → maxpool → conv1d-free path → avgpool → flatten → dense + add. */
    public static IntegerModel cnnFixed(long seed) {
        Random rnd = new Random(seed);
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 2, 9, 9);
        b.addOp(new QuantizeFixedOp(
                "q0",
                "x",
                FixedFormats.of(new int[] {1, 1}, new int[] {2, 1}, new int[] {4, 4}, "f"),
                RoundingMode.RND_CONV,
                OverflowMode.WRAP));
        b.addOp(new ConvOp(
                "conv1",
                "q0",
                2,
                4,
                new int[] {3, 3},
                new int[] {1, 2},
                new int[] {1, 1},
                new int[] {1, 2},
                randomWeights(rnd, 4 * 2 * 9, 30),
                randomBias(rnd, 4, 500),
                24,
                null));
        b.addOp(new ReluOp("r1", "conv1"));
        b.addOp(new RequantizeFixedOp(
                "q1",
                "r1",
                new int[] {7},
                FixedFormats.of(new int[] {0}, new int[] {3}, new int[] {3}, "f"),
                RoundingMode.RND,
                OverflowMode.SAT));
        b.addOp(new PoolOp("pool1", "q1", PoolOp.Kind.MAX, new int[] {2, 2}, new int[] {1, 1}, 64));
        b.addOp(new PoolOp("avg1", "pool1", PoolOp.Kind.AVG, new int[] {2, 2}, new int[] {2, 2}, 16));
        b.addOp(new FlattenOp("flat", "avg1"));
        TensorInfoHolder h = new TensorInfoHolder(b);
        int n = h.numel("flat");
        b.addOp(new DenseOp("dense1", "flat", n, n, randomWeights(rnd, n * n, 20), randomBias(rnd, n, 100), 32, null));
        b.addOp(new AddOp("res", "dense1", "flat", 33));
        b.addOp(new DequantizeFixedOp("out", "res", new int[] {5}));
        return b.setOutput("out").build();
    }

    /** A conv1d model with TRN and SAT_SYM. */
    public static IntegerModel conv1dFixed(long seed) {
        Random rnd = new Random(seed);
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 3, 12);
        b.addOp(new QuantizeFixedOp(
                "q0", "x", randomFormatsAtFrac(rnd, 3, 1, 7, 3), RoundingMode.TRN, OverflowMode.SAT_SYM));
        b.addOp(new ConvOp(
                "conv",
                "q0",
                3,
                5,
                new int[] {3},
                new int[] {2},
                new int[] {2},
                new int[] {2},
                randomWeights(rnd, 5 * 3 * 3, 40),
                randomBias(rnd, 5, 300),
                20,
                null));
        b.addOp(new PoolOp("avg", "conv", PoolOp.Kind.AVG, new int[] {2}, new int[] {2}, 24));
        b.addOp(new DequantizeFixedOp("out", "avg", new int[] {4}));
        return b.setOutput("out").build();
    }

    /**
     * An A2Q-style MLP: signed N-bit input quantizer, dense layers with the A2Q/A2Q+ constraint at P,
     * post-scale + float bias, unsigned requantization between layers.
     */
    public static IntegerModel mlpA2q(long seed, A2qConstraint.Variant variant, int p, int... sizes) {
        Random rnd = new Random(seed);
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt(variant == A2qConstraint.Variant.A2Q ? "A2Q" : "A2Q+"))
                .setInput("x", sizes[0]);
        int n = 8;
        b.addOp(new QuantizeScaledOp("q0", "x", 0.03125f * 1.37f, n, true, false));
        String prev = "q0";
        boolean signed = true;
        float sx = 0.03125f * 1.37f;
        for (int l = 1; l < sizes.length; l++) {
            int in = sizes[l - 1];
            int out = sizes[l];
            int[] w = a2qWeights(rnd, variant, out, in, p, n, signed, 8);
            b.addOp(new DenseOp("dense" + l, prev, in, out, w, null, p, new A2qConstraint(variant, n, signed, 8)));
            float[] sc = new float[out];
            float[] bias = new float[out];
            for (int o = 0; o < out; o++) {
                sc[o] = 0.001f + rnd.nextFloat() * 0.01f;
                bias[o] = (rnd.nextFloat() - 0.5f) * 0.2f;
            }
            b.addOp(new DequantizeScaledOp("y" + l, "dense" + l, sx, sc, bias));
            if (l < sizes.length - 1) {
                sx = 0.05f + rnd.nextFloat() * 0.01f;
                b.addOp(new QuantizeScaledOp("q" + l, "y" + l, sx, n, false, false));
                prev = "q" + l;
                signed = false;
            }
        }
        return b.setOutput("y" + (sizes.length - 1)).build();
    }

    /**
     * An A2Q-style CNN with float average pooling: signed input quantizer, conv2d [2,6,6] → [3,6,6]
     * (padding 1), post-scale, unsigned quantizer, dequantized q·s, avgpool_float over 2×3 windows
     * (6 elements, not a power of two), quantizer, flatten, dense, post-scale.
     */
    public static IntegerModel cnnA2qFloatAvgPool(long seed) {
        Random rnd = new Random(seed);
        int n = 6;
        float sx = 0.031f + rnd.nextFloat() * 0.01f;
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("A2Q"))
                .setInput("x", 2, 6, 6);
        b.addOp(new QuantizeScaledOp("q0", "x", sx, n, true, false));
        int[] w = a2qWeights(rnd, A2qConstraint.Variant.A2Q, 3, 18, 16, n, true, 6);
        b.addOp(new ConvOp(
                "conv",
                "q0",
                2,
                3,
                new int[] {3, 3},
                new int[] {1, 1},
                new int[] {1, 1},
                new int[] {1, 1},
                w,
                null,
                16,
                new A2qConstraint(A2qConstraint.Variant.A2Q, n, true, 6)));
        float[] sc = {0.011f, 0.0093f, 0.0137f};
        b.addOp(new DequantizeScaledOp("y1", "conv", sx, sc, new float[] {0.01f, -0.02f, 0.003f}));
        float s1 = 0.0371f + rnd.nextFloat() * 0.01f;
        b.addOp(new QuantizeScaledOp("q1", "y1", s1, n, false, false));
        b.addOp(new DequantizeScaledOp("v1", "q1", s1, new float[] {1f}, null));
        b.addOp(new PoolOp("pool", "v1", PoolOp.Kind.FLOAT_AVG, new int[] {2, 3}, new int[] {2, 3}, 64));
        float s2 = 0.0291f + rnd.nextFloat() * 0.01f;
        b.addOp(new QuantizeScaledOp("q2", "pool", s2, n, false, false));
        b.addOp(new FlattenOp("flat", "q2"));
        int[] wd = a2qWeights(rnd, A2qConstraint.Variant.A2Q, 4, 18, 16, n, false, 6);
        b.addOp(new DenseOp(
                "dense", "flat", 18, 4, wd, null, 16, new A2qConstraint(A2qConstraint.Variant.A2Q, n, false, 6)));
        b.addOp(new DequantizeScaledOp("out", "dense", s2, new float[] {0.02f, 0.021f, 0.019f, 0.022f}, null));
        return b.setOutput("out").build();
    }

    /**
     * An A2Q MLP with a residual join: signed input quantizer, dense 12→8, post-scale, unsigned
     * quantizer q1; branch: dense 8→8, post-scale; skip: q1 dequantized ({@code q · s}); the two float
     * results summed by {@code add_float}; quantizer, dense 8→4, post-scale (as {@code A2qExporter}
     * writes {@code ParallelBlock(gather, [QLinear, identity])} followed by {@code QatAdd}).
     */
    public static IntegerModel mlpA2qResidual(long seed) {
        Random rnd = new Random(seed);
        int n = 6;
        float sx = 0.031f + rnd.nextFloat() * 0.01f;
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("A2Q"))
                .setInput("x", 12);
        b.addOp(new QuantizeScaledOp("q0", "x", sx, n, true, false));
        A2qConstraint signed = new A2qConstraint(A2qConstraint.Variant.A2Q, n, true, 6);
        A2qConstraint unsigned = new A2qConstraint(A2qConstraint.Variant.A2Q, n, false, 6);
        b.addOp(new DenseOp(
                "d1",
                "q0",
                12,
                8,
                a2qWeights(rnd, A2qConstraint.Variant.A2Q, 8, 12, 16, n, true, 6),
                null,
                16,
                signed));
        b.addOp(new DequantizeScaledOp("y1", "d1", sx, scales(rnd, 8), null));
        float s1 = 0.0371f + rnd.nextFloat() * 0.01f;
        b.addOp(new QuantizeScaledOp("q1", "y1", s1, n, false, false));
        b.addOp(new DenseOp(
                "d2",
                "q1",
                8,
                8,
                a2qWeights(rnd, A2qConstraint.Variant.A2Q, 8, 8, 16, n, false, 6),
                null,
                16,
                unsigned));
        b.addOp(new DequantizeScaledOp(
                "y2", "d2", s1, scales(rnd, 8), new float[] {0.01f, -0.02f, 0.03f, 0f, 0.005f, -0.007f, 0.02f, 0.1f}));
        b.addOp(new DequantizeScaledOp("v1", "q1", s1, new float[] {1f}, null));
        b.addOp(new FloatAddOp("sum", "y2", "v1"));
        float s2 = 0.0291f + rnd.nextFloat() * 0.01f;
        b.addOp(new QuantizeScaledOp("q2", "sum", s2, n, false, false));
        b.addOp(new DenseOp(
                "d3",
                "q2",
                8,
                4,
                a2qWeights(rnd, A2qConstraint.Variant.A2Q, 4, 8, 16, n, false, 6),
                null,
                16,
                unsigned));
        b.addOp(new DequantizeScaledOp("out", "d3", s2, scales(rnd, 4), null));
        return b.setOutput("out").build();
    }

    private static float[] scales(Random rnd, int c) {
        float[] s = new float[c];
        for (int o = 0; o < c; o++) {
            s[o] = 0.009f + rnd.nextFloat() * 0.005f;
        }
        return s;
    }

    /** Random integer weights meeting the A2Q (‖q‖₁ ≤ T) or A2Q+ (Q± ≤ T+/2) bound exactly at the limit for some channels. */
    public static int[] a2qWeights(
            Random rnd, A2qConstraint.Variant variant, int out, int in, int p, int n, boolean signed, int m) {
        int[] w = new int[out * in];
        long wmax = (1L << (m - 1)) - 1;
        for (int o = 0; o < out; o++) {
            long budgetPos;
            long budgetNeg;
            if (variant == A2qConstraint.Variant.A2Q) {
                // ‖q‖₁ · 2^(N−σ) ≤ 2^(P−1) − 1
                long t = ((1L << (p - 1)) - 1) >> (n - (signed ? 1 : 0));
                budgetPos = t;
                budgetNeg = -1; // shared budget
            } else {
                long half = ((1L << (p - 1)) - 1) / ((1L << n) - 1);
                budgetPos = half;
                budgetNeg = half;
            }
            long usedPos = 0;
            long usedNeg = 0;
            for (int j = 0; j < in; j++) {
                long v = rnd.nextInt((int) (2 * wmax + 1)) - wmax;
                if (budgetNeg < 0) {
                    long left = budgetPos - usedPos;
                    v = Math.max(-left, Math.min(left, v));
                    usedPos += Math.abs(v);
                } else if (v > 0) {
                    v = Math.min(v, budgetPos - usedPos);
                    usedPos += v;
                } else {
                    v = Math.max(v, -(budgetNeg - usedNeg));
                    usedNeg += -v;
                }
                w[o * in + j] = (int) v;
            }
        }
        return w;
    }

    /** Shape lookup on a partially built model. */
    private static final class TensorInfoHolder {
        private final IntegerModel partial;

        TensorInfoHolder(IntegerModel.Builder b) {
            this.partial = b.setOutput("x").build();
        }

        int numel(String t) {
            return partial.tensor(t).numel();
        }
    }
}
