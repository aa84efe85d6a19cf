package org.qat4j.runtime.prove;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.cert.QuantizerCertificate;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.LibraryVersion;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.RangeAnalysis;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.SparqOp;

/**
 * Proves, by exact interval arithmetic over the integer model ({@link RangeAnalysis}), that each
 * accumulator fits its declared width for every input, and checks the A2Q/A2Q+ weight bounds
 * ({@link A2qBounds}); writes the facts as an {@link OverflowCertificate}. A certificate whose
 * verdict is "fails" is still produced (it names the failing channels); the checker rejects it.
 */
public final class CertificateProver {
    private CertificateProver() {}

    /** Computes the certificate of {@code model}. */
    public static OverflowCertificate prove(IntegerModel model) {
        RangeAnalysis ra = RangeAnalysis.of(model);
        List<LayerCertificate> layers = new ArrayList<>();
        List<QuantizerCertificate> quantizers = new ArrayList<>();
        for (ModelOp op : model.ops()) {
            if (op instanceof DenseOp d) {
                long[][] x = ra.range(d.input());
                layers.add(dot(
                        op,
                        d.weights(),
                        d.bias(),
                        d.inFeatures(),
                        d.accumulatorBits(),
                        d.constraint(),
                        "element",
                        x[0],
                        x[1],
                        ra));
            } else if (op instanceof ConvOp c) {
                long[][] hull = channelHull(ra.range(c.input()), c.inChannels(), c.padding());
                layers.add(dot(
                        op,
                        c.weights(),
                        c.bias(),
                        c.taps(),
                        c.accumulatorBits(),
                        c.constraint(),
                        "channel",
                        hull[0],
                        hull[1],
                        ra));
            } else if (op instanceof EmbeddingOp e) {
                long[][] x = ra.range(e.input());
                layers.add(embedding(e, x[0], x[1], ra));
            } else if (op instanceof MultipointDenseOp m) {
                long[][] x = ra.range(m.input());
                DenseOp rows = m.pointsAsDense();
                LayerCertificate pts = dot(
                        rows,
                        rows.weights(),
                        rows.bias(),
                        m.inFeatures(),
                        m.pointAccumulatorBits(),
                        null,
                        "element",
                        x[0],
                        x[1],
                        ra);
                layers.add(new LayerCertificate(
                        pts.layer(),
                        MultipointProof.POINTS_OP,
                        pts.method(),
                        pts.accumulatorBits(),
                        pts.inputGranularity(),
                        pts.inputMin(),
                        pts.inputMax(),
                        pts.a2qLimit(),
                        pts.minimalBits(),
                        pts.channels()));
                layers.add(MultipointProof.combination(m, ra));
            } else if (op instanceof AddOp a) {
                long[][] x = ra.range(a.a());
                long[][] y = ra.range(a.b());
                layers.add(sums(op, a.accumulatorBits(), concat(x[0], y[0]), concat(x[1], y[1]), ra));
            } else if (op instanceof PoolOp p && p.kind() == PoolOp.Kind.AVG) {
                long[][] x = ra.range(p.input());
                layers.add(sums(op, p.accumulatorBits(), x[0], x[1], ra));
            } else if (op instanceof QuantizeFixedOp q) {
                quantizers.add(fixed(
                        op,
                        q.formats().expand(model.tensor(op.name()).shape(), op.name()),
                        q.rounding().name(),
                        q.overflow().name()));
            } else if (op instanceof RequantizeFixedOp q) {
                quantizers.add(fixed(
                        op,
                        q.formats().expand(model.tensor(op.name()).shape(), op.name()),
                        q.rounding().name(),
                        q.overflow().name()));
            } else if (op instanceof QuantizeScaledOp q) {
                int w = q.bits();
                quantizers.add(new QuantizerCertificate(op.name(), op.opType(), "RND_CONV", "SAT", w, w));
            } else if (op instanceof SparqOp q) {
                // the window's n bits, or all N when a vSPARQ pair keeps a value; its range is in the next layer's
                // inputMin/inputMax
                quantizers.add(new QuantizerCertificate(
                        op.name(),
                        op.opType(),
                        q.rounding() ? "RND" : "TRN",
                        "SAT",
                        q.windowBits(),
                        q.pairs() ? q.inputBits() : q.windowBits(),
                        q.placements()));
            }
        }
        return new OverflowCertificate(model.provenance(), LibraryVersion.VERSION, layers, quantizers);
    }

    private static QuantizerCertificate fixed(ModelOp op, FixedFormat[] f, String rounding, String overflow) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (FixedFormat x : f) {
            int w = Math.max(0, x.width());
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        return new QuantizerCertificate(op.name(), op.opType(), rounding, overflow, min, max);
    }

    static long[][] channelHull(long[][] x, int channels, int[] padding) {
        boolean padded = false;
        for (int p : padding) {
            padded |= p > 0;
        }
        int per = x[0].length / channels;
        long[] lo = new long[channels];
        long[] hi = new long[channels];
        for (int c = 0; c < channels; c++) {
            long l = padded ? 0 : Long.MAX_VALUE;
            long h = padded ? 0 : Long.MIN_VALUE;
            for (int e = c * per; e < (c + 1) * per; e++) {
                l = Math.min(l, x[0][e]);
                h = Math.max(h, x[1][e]);
            }
            lo[c] = l;
            hi[c] = h;
        }
        return new long[][] {lo, hi};
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = new long[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static LayerCertificate dot(
            ModelOp op,
            int[] w,
            long[] bias,
            int k,
            int bits,
            A2qConstraint con,
            String granularity,
            long[] inMin,
            long[] inMax,
            RangeAnalysis ra) {
        RangeAnalysis.Accumulator acc = ra.accumulator(op.name());
        int channels = bias.length;
        long limit = -1;
        String method = "derived";
        boolean layerOk = true;
        if (con != null) {
            method = con.variant() == A2qConstraint.Variant.A2Q ? "A2Q" : "A2Q+";
            limit = con.variant() == A2qConstraint.Variant.A2Q
                    ? A2qBounds.maxL1A2q(bits, con.inputBits(), con.inputSigned())
                    : A2qBounds.maxHalfSumA2qPlus(bits, con.inputBits());
            // the bound speaks about N-bit inputs of the stated signedness: the actual input must be such
            long lo = con.inputSigned() ? -(1L << (con.inputBits() - 1)) : 0;
            long hi = con.inputSigned() ? (1L << (con.inputBits() - 1)) - 1 : (1L << con.inputBits()) - 1;
            for (int j = 0; j < inMin.length; j++) {
                layerOk &= inMin[j] >= lo && inMax[j] <= hi;
            }
        }
        List<ChannelCertificate> list = new ArrayList<>();
        int minimal = 0;
        for (int c = 0; c < channels; c++) {
            long pmin = acc.partialMin()[c];
            long pmax = acc.partialMax()[c];
            boolean ok = layerOk && RangeAnalysis.fitsSigned(pmin, pmax, bits);
            long l1 = -1;
            long pos = -1;
            long neg = -1;
            if (con != null) {
                long p = 0;
                long n = 0;
                long wmax = (1L << (con.weightBits() - 1)) - 1;
                for (int t = c * k; t < (c + 1) * k; t++) {
                    ok &= Math.abs((long) w[t]) <= wmax;
                    if (w[t] > 0) {
                        p += w[t];
                    } else {
                        n -= w[t];
                    }
                }
                if (con.variant() == A2qConstraint.Variant.A2Q) {
                    l1 = p + n;
                    ok &= A2qBounds.satisfiesA2q(l1, bits, con.inputBits(), con.inputSigned());
                } else {
                    pos = p;
                    neg = n;
                    ok &= A2qBounds.satisfiesA2qPlus(p, n, bits, con.inputBits());
                }
            }
            int signedBits = RangeAnalysis.signedBitsNeeded(pmin, pmax);
            minimal = Math.max(minimal, signedBits);
            list.add(new ChannelCertificate(
                    c,
                    ChannelHash.of(w, c * k, k, bias[c]),
                    pmin,
                    pmax,
                    RangeAnalysis.bitsNeeded(pmin, pmax),
                    signedBits,
                    ok,
                    l1,
                    pos,
                    neg));
        }
        return new LayerCertificate(
                op.name(), op.opType(), method, bits, granularity, inMin, inMax, limit, minimal, list);
    }

    /** Embedding: one accumulator per column d, hashed over the decoded column {@code v[0..R)[d]} (int64 LE). */
    private static LayerCertificate embedding(EmbeddingOp e, long[] inMin, long[] inMax, RangeAnalysis ra) {
        RangeAnalysis.Accumulator acc = ra.accumulator(e.name());
        long[] v = e.decoded();
        List<ChannelCertificate> list = new ArrayList<>();
        int minimal = 0;
        for (int d = 0; d < e.dim(); d++) {
            long[] column = new long[e.rows()];
            for (int r = 0; r < e.rows(); r++) {
                column[r] = v[r * e.dim() + d];
            }
            long pmin = acc.partialMin()[d];
            long pmax = acc.partialMax()[d];
            int signedBits = RangeAnalysis.signedBitsNeeded(pmin, pmax);
            minimal = Math.max(minimal, signedBits);
            list.add(new ChannelCertificate(
                    d,
                    ChannelHash.ofLongs(column),
                    pmin,
                    pmax,
                    RangeAnalysis.bitsNeeded(pmin, pmax),
                    signedBits,
                    RangeAnalysis.fitsSigned(pmin, pmax, e.accumulatorBits()),
                    -1,
                    -1,
                    -1));
        }
        return new LayerCertificate(
                e.name(), e.opType(), "derived", e.accumulatorBits(), "element", inMin, inMax, -1, minimal, list);
    }

    private static LayerCertificate sums(ModelOp op, int bits, long[] inMin, long[] inMax, RangeAnalysis ra) {
        RangeAnalysis.Accumulator acc = ra.accumulator(op.name());
        List<ChannelCertificate> list = new ArrayList<>();
        int minimal = 0;
        for (int c = 0; c < acc.partialMin().length; c++) {
            long pmin = acc.partialMin()[c];
            long pmax = acc.partialMax()[c];
            int signedBits = RangeAnalysis.signedBitsNeeded(pmin, pmax);
            minimal = Math.max(minimal, signedBits);
            list.add(new ChannelCertificate(
                    c,
                    null,
                    pmin,
                    pmax,
                    RangeAnalysis.bitsNeeded(pmin, pmax),
                    signedBits,
                    RangeAnalysis.fitsSigned(pmin, pmax, bits),
                    -1,
                    -1,
                    -1));
        }
        return new LayerCertificate(
                op.name(), op.opType(), "derived", bits, "element", inMin, inMax, -1, minimal, list);
    }
}
