package org.qat4j.runtime.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;

/**
 * Interval arithmetic over an integer model: the range {@code [lo, hi]} of every element of every
 * integer tensor for ANY float input, and for every accumulating op (dense, conv, add, avgpool) the
 * worst-case interval of its partial sums in any accumulation order, per output channel. Used by the
 * runtime (to prove a fast path cannot overflow) and by the certificate prover. The certificate
 * CHECKER does not use this class: it recomputes the same facts with its own code.
 *
 * <p>Formulas (exact, overflow-checked long arithmetic): for a dot product with weights {@code w_j}
 * and input ranges {@code [lo_j, hi_j]} each term ranges over
 * {@code [t_j⁻, t_j⁺] = [min(w_j·lo_j, w_j·hi_j), max(w_j·lo_j, w_j·hi_j)]}; the bias is one more
 * term. Every partial sum, in any order, lies in {@code [Σ min(0, t_j⁻), Σ max(0, t_j⁺)]} (the
 * negative and positive contributions), and the full sum in {@code [Σ t_j⁻, Σ t_j⁺]} (FINN/qonnx
 * style exact verification, A2Q arXiv 2308.13504 §3). Conv layers use, per input channel, the hull
 * of its elements' ranges, with 0 included when the kernel can touch zero padding. A
 * {@code multipoint_dense} op has two accumulators: its point rows under {@code name + "/points"}, then
 * the combination under its name ({@link MultipointRanges}); {@link #range} of {@code name + "/points"}
 * gives the point values' ranges.
 */
public final class RangeAnalysis {
    private final Map<String, long[][]> ranges;
    private final Map<String, Accumulator> accumulators;

    private RangeAnalysis(Map<String, long[][]> ranges, Map<String, Accumulator> accumulators) {
        this.ranges = ranges;
        this.accumulators = accumulators;
    }

    /**
     * Worst-case facts of one accumulating op.
     *
     * @param layer op name
     * @param declaredBits declared signed accumulator width P
     * @param partialMin per output channel, smallest partial sum in any order
     * @param partialMax per output channel, largest partial sum in any order
     */
    public record Accumulator(String layer, int declaredBits, long[] partialMin, long[] partialMax) {
        /** Whether every channel's interval fits a signed register of the declared width. */
        public boolean fitsDeclared() {
            for (int c = 0; c < partialMin.length; c++) {
                if (!fitsSigned(partialMin[c], partialMax[c], declaredBits)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether every channel's interval fits a signed 32-bit register. */
        public boolean fitsInt() {
            for (int c = 0; c < partialMin.length; c++) {
                if (!fitsSigned(partialMin[c], partialMax[c], 32)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether {@code [min, max]} lies in the range of a signed {@code bits}-bit register. */
    public static boolean fitsSigned(long min, long max, int bits) {
        if (bits >= 64) {
            return true;
        }
        long lo = -(1L << (bits - 1));
        long hi = (1L << (bits - 1)) - 1;
        return min >= lo && max <= hi;
    }

    /** Smallest signed register width holding {@code [min, max]}. */
    public static int signedBitsNeeded(long min, long max) {
        // JDK-8376400: plain comparisons in the loop, not fitsSigned(), whose own `bits >= 64` test repeats the bound
        for (int p = 1; p < 64; p++) {
            if (min >= -(1L << (p - 1)) && max <= (1L << (p - 1)) - 1) {
                return p;
            }
        }
        return 64;
    }

    /**
     * Bits needed by {@code [min, max]} as FINN states it: unsigned {@code ceil(log2(max + 1))} when
     * {@code min ≥ 0}, else signed {@code ceil(log2(max(−min, 1 + max))) + 1}.
     */
    public static int bitsNeeded(long min, long max) {
        if (min >= 0) {
            return max == 0 ? 0 : 64 - Long.numberOfLeadingZeros(max);
        }
        long m = Math.max(-(min + 1), max); // ceil(log2(max(−min, 1 + max))) = bit length of max(−min − 1, max)
        return (m == 0 ? 0 : 64 - Long.numberOfLeadingZeros(m)) + 1;
    }

    /** Range of a format's mantissa under an overflow mode: {@code [lo, hi]}; zero width gives [0, 0]. */
    public static long[] formatRange(FixedFormat fmt, OverflowMode o) {
        int width = fmt.k() + fmt.i() + fmt.f();
        if (width <= 0) {
            return new long[] {0, 0};
        }
        long hi = (1L << (width - fmt.k())) - 1;
        long lo = fmt.k() == 0 ? 0 : (o == OverflowMode.SAT_SYM ? -hi : -hi - 1);
        return new long[] {lo, hi};
    }

    /** Runs the analysis. */
    public static RangeAnalysis of(IntegerModel model) {
        Map<String, long[][]> r = new HashMap<>();
        Map<String, Accumulator> acc = new LinkedHashMap<>();
        for (ModelOp op : model.ops()) {
            String field = "op '" + op.name() + "'";
            try {
                r.put(op.name(), analyze(model, op, r, acc));
            } catch (ArithmeticException e) {
                throw new ModelFormatException(field + ": a worst-case sum exceeds the 64-bit range", e);
            }
        }
        return new RangeAnalysis(Collections.unmodifiableMap(r), Collections.unmodifiableMap(acc));
    }

    /** {@code {lo[], hi[]}} per element of an integer tensor; null for float tensors. */
    public long[][] range(String tensor) {
        return ranges.get(tensor);
    }

    /** Accumulator facts of an accumulating op, or null. */
    public Accumulator accumulator(String layer) {
        return accumulators.get(layer);
    }

    /** All accumulating ops in model order. */
    public List<Accumulator> accumulators() {
        return new ArrayList<>(accumulators.values());
    }

    private static long[][] analyze(
            IntegerModel model, ModelOp op, Map<String, long[][]> r, Map<String, Accumulator> acc) {
        TensorInfo out = model.tensor(op.name());
        int n = out.numel();
        if (op instanceof QuantizeFixedOp q) {
            return fromFormats(q.formats().expand(out.shape(), op.name()), q.overflow());
        }
        if (op instanceof RequantizeFixedOp q) {
            return fromFormats(q.formats().expand(out.shape(), op.name()), q.overflow());
        }
        if (op instanceof QuantizeScaledOp q) {
            long[] lo = new long[n];
            long[] hi = new long[n];
            java.util.Arrays.fill(lo, q.min());
            java.util.Arrays.fill(hi, q.max());
            return new long[][] {lo, hi};
        }
        if (op instanceof DequantizeFixedOp || op instanceof DequantizeScaledOp) {
            return null;
        }
        if (op instanceof ReluOp) {
            long[][] in = r.get(op.inputs().get(0));
            if (in == null) {
                return null;
            }
            long[] lo = new long[n];
            long[] hi = new long[n];
            for (int e = 0; e < n; e++) {
                lo[e] = Math.max(0, in[0][e]);
                hi[e] = Math.max(0, in[1][e]);
            }
            return new long[][] {lo, hi};
        }
        if (op instanceof FlattenOp) {
            return r.get(op.inputs().get(0));
        }
        if (op instanceof AddOp a) {
            long[][] x = r.get(a.a());
            long[][] y = r.get(a.b());
            long[] lo = new long[n];
            long[] hi = new long[n];
            long[] pmin = new long[n];
            long[] pmax = new long[n];
            for (int e = 0; e < n; e++) {
                lo[e] = Math.addExact(x[0][e], y[0][e]);
                hi[e] = Math.addExact(x[1][e], y[1][e]);
                pmin[e] = Math.addExact(Math.min(0, x[0][e]), Math.min(0, y[0][e]));
                pmax[e] = Math.addExact(Math.max(0, x[1][e]), Math.max(0, y[1][e]));
            }
            acc.put(op.name(), new Accumulator(op.name(), a.accumulatorBits(), pmin, pmax));
            return new long[][] {lo, hi};
        }
        if (op instanceof DenseOp d) {
            return dense(d, r.get(d.input()), acc);
        }
        if (op instanceof MultipointDenseOp m) {
            long[][] a = dense(m.pointsAsDense(), r.get(m.input()), acc);
            r.put(m.pointsName(), a);
            return MultipointRanges.combine(m, a, acc);
        }
        if (op instanceof ConvOp c) {
            TensorInfo inInfo = model.tensor(c.input());
            long[][] x = r.get(c.input());
            int cin = c.inChannels();
            int per = inInfo.numel() / cin;
            boolean padded = false;
            for (int p : c.padding()) {
                padded |= p > 0;
            }
            long[] chLo = new long[cin];
            long[] chHi = new long[cin];
            for (int ch = 0; ch < cin; ch++) {
                long l = Long.MAX_VALUE;
                long h = Long.MIN_VALUE;
                for (int e = ch * per; e < (ch + 1) * per; e++) {
                    l = Math.min(l, x[0][e]);
                    h = Math.max(h, x[1][e]);
                }
                if (padded) {
                    l = Math.min(l, 0);
                    h = Math.max(h, 0);
                }
                chLo[ch] = l;
                chHi[ch] = h;
            }
            int[] w = c.weights();
            long[] bias = c.bias();
            int taps = c.taps();
            int kk = taps / cin;
            int cout = c.outChannels();
            int outPer = n / cout;
            long[] lo = new long[n];
            long[] hi = new long[n];
            long[] pmin = new long[cout];
            long[] pmax = new long[cout];
            for (int o = 0; o < cout; o++) {
                long sLo = bias[o];
                long sHi = bias[o];
                long pLo = Math.min(0, bias[o]);
                long pHi = Math.max(0, bias[o]);
                for (int t = 0; t < taps; t++) {
                    int ch = t / kk;
                    long a = Math.multiplyExact((long) w[o * taps + t], chLo[ch]);
                    long b = Math.multiplyExact((long) w[o * taps + t], chHi[ch]);
                    long tLo = Math.min(a, b);
                    long tHi = Math.max(a, b);
                    sLo = Math.addExact(sLo, tLo);
                    sHi = Math.addExact(sHi, tHi);
                    pLo = Math.addExact(pLo, Math.min(0, tLo));
                    pHi = Math.addExact(pHi, Math.max(0, tHi));
                }
                for (int e = o * outPer; e < (o + 1) * outPer; e++) {
                    lo[e] = sLo;
                    hi[e] = sHi;
                }
                pmin[o] = pLo;
                pmax[o] = pHi;
            }
            acc.put(op.name(), new Accumulator(op.name(), c.accumulatorBits(), pmin, pmax));
            return new long[][] {lo, hi};
        }
        if (op instanceof EmbeddingOp e) {
            EmbeddingRanges.Result res = EmbeddingRanges.of(e, r.get(e.input()));
            acc.put(op.name(), new Accumulator(op.name(), e.accumulatorBits(), res.partialMin(), res.partialMax()));
            return new long[][] {res.lo(), res.hi()};
        }
        if (op instanceof SparqOp q) {
            return SparqRanges.of(q, out.shape(), r.get(q.input()));
        }
        if (op instanceof PoolOp p && p.kind() == PoolOp.Kind.FLOAT_AVG || op instanceof FloatAddOp) {
            return null;
        }
        if (op instanceof PoolOp p) {
            TensorInfo inInfo = model.tensor(p.input());
            long[][] x = r.get(p.input());
            PoolGeometry g = new PoolGeometry(inInfo.shape(), out.shape(), p.window(), p.stride());
            long[] lo = new long[n];
            long[] hi = new long[n];
            int channels = out.shape()[0];
            long[] pmin = new long[channels];
            long[] pmax = new long[channels];
            int outPer = n / channels;
            for (int e = 0; e < n; e++) {
                int[] idx = g.window(e);
                long l;
                long h;
                long pl = 0;
                long ph = 0;
                if (p.kind() == PoolOp.Kind.MAX) {
                    l = Long.MIN_VALUE;
                    h = Long.MIN_VALUE;
                    for (int i : idx) {
                        l = Math.max(l, x[0][i]);
                        h = Math.max(h, x[1][i]);
                    }
                } else {
                    l = 0;
                    h = 0;
                    for (int i : idx) {
                        l = Math.addExact(l, x[0][i]);
                        h = Math.addExact(h, x[1][i]);
                        pl = Math.addExact(pl, Math.min(0, x[0][i]));
                        ph = Math.addExact(ph, Math.max(0, x[1][i]));
                    }
                }
                lo[e] = l;
                hi[e] = h;
                int ch = e / outPer;
                pmin[ch] = Math.min(pmin[ch], pl);
                pmax[ch] = Math.max(pmax[ch], ph);
            }
            if (p.kind() == PoolOp.Kind.AVG) {
                acc.put(op.name(), new Accumulator(op.name(), p.accumulatorBits(), pmin, pmax));
            }
            return new long[][] {lo, hi};
        }
        throw new IllegalStateException("unhandled op " + op.opType());
    }

    /** Dense output ranges; registers the op's accumulator under its name. */
    private static long[][] dense(DenseOp d, long[][] x, Map<String, Accumulator> acc) {
        int[] w = d.weights();
        long[] bias = d.bias();
        int k = d.inFeatures();
        int n = d.outFeatures();
        long[] lo = new long[n];
        long[] hi = new long[n];
        long[] pmin = new long[n];
        long[] pmax = new long[n];
        for (int o = 0; o < n; o++) {
            long sLo = bias[o];
            long sHi = bias[o];
            long pLo = Math.min(0, bias[o]);
            long pHi = Math.max(0, bias[o]);
            for (int j = 0; j < k; j++) {
                long a = Math.multiplyExact((long) w[o * k + j], x[0][j]);
                long b = Math.multiplyExact((long) w[o * k + j], x[1][j]);
                long tLo = Math.min(a, b);
                long tHi = Math.max(a, b);
                sLo = Math.addExact(sLo, tLo);
                sHi = Math.addExact(sHi, tHi);
                pLo = Math.addExact(pLo, Math.min(0, tLo));
                pHi = Math.addExact(pHi, Math.max(0, tHi));
            }
            lo[o] = sLo;
            hi[o] = sHi;
            pmin[o] = pLo;
            pmax[o] = pHi;
        }
        acc.put(d.name(), new Accumulator(d.name(), d.accumulatorBits(), pmin, pmax));
        return new long[][] {lo, hi};
    }

    private static long[][] fromFormats(FixedFormat[] fmts, OverflowMode o) {
        long[] lo = new long[fmts.length];
        long[] hi = new long[fmts.length];
        for (int e = 0; e < fmts.length; e++) {
            long[] rr = formatRange(fmts[e], o);
            lo[e] = rr[0];
            hi[e] = rr[1];
        }
        return new long[][] {lo, hi};
    }
}
