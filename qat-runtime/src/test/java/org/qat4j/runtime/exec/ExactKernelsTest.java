package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * Every multiply-accumulate kernel — float32, int32, float64 (scalar and Vector API) and int64 —
 * equals the checked reference path (bias first, inputs ascending, every partial sum checked) bit for
 * bit, on every arithmetic at least as wide as the proven one: on the example models' real tensors
 * (random and adversarial float inputs through the runtime) and on integer inputs at the extremes of
 * their proven ranges, including the inputs that reach each channel's worst partial sums.
 */
class ExactKernelsTest {

    @Test
    void vectorKernelsAreLoadedInTests() {
        // surefire runs with --add-modules jdk.incubator.vector: the vector kernels are really under test here
        assertTrue(MatMul.VECTOR_AVAILABLE);
        assertEquals(0, MatMul.VECTOR_MIN_WORK, "qat-runtime's surefire sets qat.runtime.vectorMinWork=0");
        assertEquals(
                1024,
                MatMul.BLOCK_BYTES,
                "qat-runtime's surefire sets qat.runtime.blockBytes=1024: layers run in several input blocks");
        int[] w = {1, 0, 2, 0, 0, 3};
        assertTrue(MatMul.create(Arithmetic.FLOAT32, true, w, null, 2, 3).vectorized());
        assertTrue(!MatMul.create(Arithmetic.FLOAT32, false, w, null, 2, 3).vectorized());
        assertArrayEquals(new int[] {0, 2}, MatMul.kept(w, 2, 3), "input feature 1 has only zero weights");
    }

    @Test
    void everyKernelEqualsTheReferenceOnEveryExampleModel() {
        Set<Arithmetic> seen = EnumSet.noneOf(Arithmetic.class);
        Random rnd = new Random(15);
        for (IntegerModel m : IntegerRuntimeTest.models()) {
            RangeAnalysis ra = RangeAnalysis.of(m);
            IntegerRuntime rt = IntegerRuntime.compile(m);
            InputGenerators gen = InputGenerators.of(m);
            List<Map<String, Object>> traces = new ArrayList<>();
            for (int batch : new int[] {1, 5, 37}) {
                traces.add(rt.trace(gen.random(rnd, batch), batch));
                traces.add(rt.trace(gen.adversarial(rnd, batch), batch));
            }
            for (ModelOp op : m.ops()) {
                if (!(op instanceof DenseOp) && !(op instanceof ConvOp)) {
                    continue;
                }
                seen.add(chosen(m, op, ra));
                for (Map<String, Object> t : traces) {
                    long[] x = (long[]) t.get(op.inputs().get(0));
                    assertAllEqual(
                            m,
                            op,
                            ra,
                            x,
                            x.length / m.tensor(op.inputs().get(0)).numel());
                }
                for (int batch : new int[] {1, 4, 9}) {
                    assertAllEqual(m, op, ra, extremes(rnd, m, op, ra, batch), batch);
                }
            }
        }
        assertEquals(
                EnumSet.of(Arithmetic.FLOAT32, Arithmetic.FLOAT64, Arithmetic.INT64),
                seen,
                "the example models exercise these arithmetics (int32 is covered by forcing it below)");
    }

    /** A batch larger than one pass runs in passes; the result equals one pass over the whole batch bit for bit. */
    @Test
    void largeBatchesRunInPassesEqualToOnePass() {
        Random rnd = new Random(3);
        int multiPass = 0;
        for (IntegerModel m : IntegerRuntimeTest.models()) {
            IntegerRuntime rt = IntegerRuntime.compile(m);
            if (rt.samplesPerPass() > 2000) {
                continue;
            }
            multiPass++;
            int batch = 2 * rt.samplesPerPass() + 3;
            float[] x = InputGenerators.of(m).adversarial(rnd, batch);
            Object onePass = rt.trace(x, batch).get(m.outputName());
            if (onePass instanceof float[] f) {
                float[] passes = rt.runFloat(x, batch);
                assertEquals(f.length, passes.length);
                for (int i = 0; i < f.length; i++) {
                    assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(passes[i]), "element " + i);
                }
            } else {
                assertArrayEquals((long[]) onePass, rt.runInt(x, batch));
            }
        }
        assertTrue(multiPass >= 3, "example models with several passes: " + multiPass);
    }

    @Test
    void aNarrowerArithmeticThanTheProofAllowsIsRefused() {
        IntegerModel m = IntegerRuntimeTest.models().get(0);
        ModelOp op = m.op("dense1");
        RangeAnalysis ra = RangeAnalysis.of(m);
        IntegerModel wide = IntegerRuntimeTest.models().get(7);
        assertEquals(Arithmetic.FLOAT32, chosen(m, op, ra));
        assertThrows(
                IllegalArgumentException.class,
                () -> new DenseKernel((DenseOp) wide.op("d1"), 0, 1, RangeAnalysis.of(wide), Arithmetic.FLOAT32, true));
    }

    /**
     * Random dense and conv layers whose weight and input widths put the proven bound anywhere from a few
     * bits to 62 bits, with about a third of the weights pruned: every exact kernel equals the reference.
     */
    @Property(tries = 60)
    void randomLayersAgreeWithTheReference(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 30) int weightBits,
            @ForAll @IntRange(min = 1, max = 20) int inputBits,
            @ForAll boolean conv,
            @ForAll @IntRange(min = 1, max = 11) int batch) {
        Random rnd = new Random(seed);
        IntegerModel m = conv ? randomConv(rnd, weightBits, inputBits) : randomDense(rnd, weightBits, inputBits);
        RangeAnalysis ra = RangeAnalysis.of(m);
        ModelOp op = m.op("layer");
        assertAllEqual(m, op, ra, extremes(rnd, m, op, ra, batch), batch);
    }

    /**
     * A 1-bit conv layer whose kept inputs are all pruned (k = 0): the vector kernels' block loop never ran
     * and left the output without its bias (found by the property above, seed -6781327478566931493).
     */
    @Test
    void aLayerWithEveryWeightPrunedGivesItsBias() {
        randomLayersAgreeWithTheReference(-55, 1, 1, true, 1);
    }

    static Arithmetic chosen(IntegerModel m, ModelOp op, RangeAnalysis ra) {
        return Arithmetic.choose(ra.accumulator(op.name()));
    }

    static Kernel kernel(IntegerModel m, ModelOp op, RangeAnalysis ra, Arithmetic a, boolean vector) {
        if (op instanceof DenseOp d) {
            return new DenseKernel(d, 0, 1, ra, a, vector);
        }
        ConvOp c = (ConvOp) op;
        return new ConvKernel(c, m.tensor(c.input()).shape(), m.tensor(c.name()).shape(), 0, 1, ra, a, vector);
    }

    static long[] run(Kernel k, long[] x, int batch) {
        Object[] env = {x, null};
        k.run(env, batch);
        return (long[]) env[1];
    }

    private static void assertAllEqual(IntegerModel m, ModelOp op, RangeAnalysis ra, long[] x, int batch) {
        Arithmetic proven = chosen(m, op, ra);
        if (proven == Arithmetic.CHECKED) {
            return;
        }
        long[] expected = run(kernel(m, op, ra, Arithmetic.CHECKED, false), x, batch);
        for (Arithmetic a : Arithmetic.values()) {
            if (a.compareTo(proven) < 0 || a == Arithmetic.CHECKED) {
                continue;
            }
            for (boolean vector : new boolean[] {false, true}) {
                Kernel k = kernel(m, op, ra, a, vector);
                assertArrayEquals(expected, run(k, x, batch), op.name() + " on " + k.arithmetic() + ", batch " + batch);
            }
        }
    }

    /**
     * Integer inputs inside the proven ranges: per sample either every element at an end of its range,
     * uniformly random, or aligned with one output channel's weight signs (its largest or smallest sum).
     */
    static long[] extremes(Random rnd, IntegerModel m, ModelOp op, RangeAnalysis ra, int batch) {
        long[][] r = ra.range(op.inputs().get(0));
        int numel = r[0].length;
        int[] w = op instanceof DenseOp d ? d.weights() : ((ConvOp) op).weights();
        int channels = op instanceof DenseOp d ? d.outFeatures() : ((ConvOp) op).outChannels();
        int perChannel = w.length / channels;
        long[] x = new long[batch * numel];
        for (int b = 0; b < batch; b++) {
            int mode = rnd.nextInt(4);
            int c = rnd.nextInt(channels);
            for (int e = 0; e < numel; e++) {
                long lo = r[0][e];
                long hi = r[1][e];
                long v;
                if (mode == 0) {
                    v = rnd.nextBoolean() ? lo : hi;
                } else if (mode == 1) {
                    v = lo + (long) (rnd.nextDouble() * ((double) hi - lo));
                    v = Math.max(lo, Math.min(hi, v));
                } else {
                    // dense: weight of channel c on this element; conv: a tap of channel c on this element's input
                    // channel
                    int wv = op instanceof DenseOp
                            ? w[c * perChannel + e]
                            : w[c * perChannel + (e * perChannel / numel)];
                    boolean up = (wv >= 0) == (mode == 2);
                    v = up ? hi : lo;
                }
                x[b * numel + e] = v;
            }
        }
        return x;
    }

    static IntegerModel randomDense(Random rnd, int weightBits, int inputBits) {
        int in = 1 + rnd.nextInt(70);
        int out = 1 + rnd.nextInt(40);
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", in);
        b.addOp(new QuantizeFixedOp(
                "q0",
                "x",
                FixedFormats.of(new int[] {1}, new int[] {inputBits - 1}, new int[] {0}, "f"),
                RoundingMode.RND,
                OverflowMode.SAT));
        b.addOp(new DenseOp(
                "layer",
                "q0",
                in,
                out,
                weights(rnd, in * out, weightBits),
                bias(rnd, out, weightBits + inputBits),
                64,
                null));
        b.addOp(new DequantizeFixedOp("out", "layer", new int[] {0}));
        return b.setOutput("out").build();
    }

    static IntegerModel randomConv(Random rnd, int weightBits, int inputBits) {
        int cin = 1 + rnd.nextInt(5);
        int cout = 1 + rnd.nextInt(20);
        int side = 3 + rnd.nextInt(8);
        int k = 1 + rnd.nextInt(3);
        int stride = 1 + rnd.nextInt(2);
        int pad = rnd.nextInt(k);
        int dil = 1 + rnd.nextInt(2);
        if ((k - 1) * dil + 1 > side + 2 * pad) {
            dil = 1;
        }
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", cin, side, side);
        b.addOp(new QuantizeFixedOp(
                "q0",
                "x",
                FixedFormats.of(new int[] {1}, new int[] {inputBits - 1}, new int[] {0}, "f"),
                RoundingMode.RND,
                OverflowMode.SAT));
        b.addOp(new ConvOp(
                "layer",
                "q0",
                cin,
                cout,
                new int[] {k, k},
                new int[] {stride, stride},
                new int[] {pad, pad},
                new int[] {dil, dil},
                weights(rnd, cout * cin * k * k, weightBits),
                bias(rnd, cout, weightBits + inputBits),
                64,
                null));
        b.addOp(new DequantizeFixedOp("out", "layer", new int[] {0}));
        return b.setOutput("out").build();
    }

    /** Signed weights of up to {@code bits} bits, about a third of them zero (pruned). */
    private static int[] weights(Random rnd, int n, int bits) {
        int[] w = new int[n];
        long max = (1L << (bits - 1)) - 1;
        for (int t = 0; t < n; t++) {
            w[t] = rnd.nextInt(3) == 0
                    ? 0
                    : (int)
                            (rnd.nextBoolean()
                                    ? max - rnd.nextInt(2)
                                    : -max + rnd.nextInt(2) - (rnd.nextInt(4) == 0 ? 1 : 0));
            if (rnd.nextInt(4) == 0) {
                w[t] = (int) ((rnd.nextDouble() * 2 - 1) * max);
            }
        }
        return w;
    }

    private static long[] bias(Random rnd, int n, int bits) {
        long[] b = new long[n];
        long max = (1L << Math.min(bits, 60)) - 1;
        for (int t = 0; t < n; t++) {
            b[t] = (long) ((rnd.nextDouble() * 2 - 1) * max);
        }
        return b;
    }
}
