package org.qat4j.runtime.cert;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.model.A2qConstraint;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Json;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.PoolGeometry;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TensorInfo;

/**
 * The independent checker of overflow certificates. It reads only the model and the certificate,
 * recomputes every fact with its own exact integer code (overflow-checked {@code long}, BigInteger
 * for the A2Q limits; it shares no arithmetic with {@link CertificateProver}), and reports every
 * certificate that is wrong (a stated fact differs), stale (a weight hash differs), incomplete (a
 * layer, channel or quantizer is missing), or whose facts break a bound: a partial-sum interval
 * outside the declared signed P-bit register, an A2Q channel with {@code ‖q‖₁ > T}, an A2Q+ channel
 * with {@code Q+ > T+/2} or {@code Q− > T+/2} (arXiv 2308.13504, 2401.10432).
 *
 * <p>Worst case of one dot product, any accumulation order: each term {@code w·x} with
 * {@code x ∈ [lo, hi]} ranges over {@code [min(w·lo, w·hi), max(w·lo, w·hi)]}; every partial sum lies in
 * {@code [Σ min(0, ·), Σ max(0, ·)]} over all terms and the bias.
 */
public final class CertificateChecker {
    /** Default cap on the certificate file size: 64 MiB. */
    public static final long MAX_CERTIFICATE_BYTES = 64L << 20;

    private final IntegerModel model;
    private final List<CheckReport.Problem> problems = new ArrayList<>();
    private final List<CheckReport.Row> rows = new ArrayList<>();
    private final Map<String, long[][]> ranges = new HashMap<>();
    private final MessageDigest sha;
    private long weights;

    private CertificateChecker(IntegerModel model) {
        this.model = model;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Checks the certificate file against the model file. A model that cannot be read throws. */
    public static CheckReport check(Path modelFile, Path certificateFile) throws IOException {
        IntegerModel m = ModelReader.read(modelFile);
        String text;
        try {
            text = ModelReader.readCapped(certificateFile, MAX_CERTIFICATE_BYTES, "certificate");
        } catch (ModelFormatException e) {
            return malformed(e.getMessage());
        }
        return check(m, text);
    }

    /** Checks certificate text against a model. */
    public static CheckReport check(IntegerModel model, String certificateJson) {
        Json root;
        try {
            root = Json.root(ModelReader.parse(certificateJson, "certificate"), "the certificate");
        } catch (ModelFormatException e) {
            return malformed(e.getMessage());
        }
        CertificateChecker c = new CertificateChecker(model);
        try {
            c.run(root);
        } catch (ModelFormatException e) {
            c.problems.add(new CheckReport.Problem(CheckReport.Kind.MALFORMED, null, -1, e.getMessage()));
        }
        return new CheckReport(List.copyOf(c.problems), List.copyOf(c.rows), c.weights);
    }

    /** Checks an in-memory certificate (serialized first, so exactly what a file would hold is checked). */
    public static CheckReport check(IntegerModel model, OverflowCertificate certificate) {
        return check(model, CertificateWriter.toJson(certificate));
    }

    private static CheckReport malformed(String message) {
        return new CheckReport(List.of(new CheckReport.Problem(CheckReport.Kind.MALFORMED, null, -1, message)), List.of(), 0);
    }

    private void problem(CheckReport.Kind kind, String layer, int channel, String message) {
        problems.add(new CheckReport.Problem(kind, layer, channel, message));
    }

    // ------------------------------------------------------------------ the recomputed facts

    private record Channel(String hash, long neg, long pos, long l1, long qPos, long qNeg, boolean holds) {}

    private record Layer(String name, String op, String method, int bits, String granularity, long[] inMin, long[] inMax,
            long limit, List<Channel> channels) {}

    private void run(Json root) {
        String format = root.string("format");
        if (!OverflowCertificate.FORMAT.equals(format)) {
            throw new ModelFormatException("$.format = '" + format + "', expected '" + OverflowCertificate.FORMAT + "'");
        }
        int version = root.integer("certificateVersion");
        if (version != OverflowCertificate.VERSION) {
            throw new ModelFormatException("$.certificateVersion = " + version + ": unknown version, this checker knows "
                    + OverflowCertificate.VERSION);
        }
        Json prov = root.object("modelProvenance");
        if (!prov.string("method").equals(model.provenance().method()) || prov.longValue("seed") != model.provenance().seed()
                || !prov.string("recipe").equals(model.provenance().recipe())) {
            problem(CheckReport.Kind.STALE, null, -1, "the certificate's model provenance (" + prov.string("method") + ", seed "
                    + prov.longValue("seed") + ") differs from the model's (" + model.provenance().method() + ", seed "
                    + model.provenance().seed() + ")");
        }
        List<Layer> facts = new ArrayList<>();
        Map<String, String[]> quantizers = new LinkedHashMap<>();
        for (ModelOp op : model.ops()) {
            try {
                Layer l = analyze(op, quantizers);
                if (l != null) {
                    facts.add(l);
                }
            } catch (ArithmeticException e) {
                problem(CheckReport.Kind.FAILS, op.name(), -1, "a worst-case sum exceeds the 64-bit range");
                ranges.put(op.name(), null);
            }
        }
        compareLayers(facts, root.objects("layers"));
        compareQuantizers(quantizers, root.objects("quantizers"));
        boolean allHold = problems.stream().noneMatch(p -> p.kind() == CheckReport.Kind.FAILS);
        String verdict = root.string("verdict");
        if (!verdict.equals(allHold ? "holds" : "fails")) {
            problem(CheckReport.Kind.WRONG, null, -1, "$.verdict = '" + verdict + "', recomputed '" + (allHold ? "holds" : "fails") + "'");
        }
    }

    private Layer analyze(ModelOp op, Map<String, String[]> quantizers) {
        TensorInfo out = model.tensor(op.name());
        int n = out.numel();
        if (op instanceof QuantizeFixedOp q) {
            ranges.put(op.name(), formatRanges(q.formats().expand(out.shape(), op.name()), q.overflow()));
            quantizers.put(op.name(), quantizerFacts(op, q.formats().expand(out.shape(), op.name()), q.rounding().name(), q.overflow().name()));
            return null;
        }
        if (op instanceof RequantizeFixedOp q) {
            ranges.put(op.name(), formatRanges(q.formats().expand(out.shape(), op.name()), q.overflow()));
            quantizers.put(op.name(), quantizerFacts(op, q.formats().expand(out.shape(), op.name()), q.rounding().name(), q.overflow().name()));
            return null;
        }
        if (op instanceof QuantizeScaledOp q) {
            long lo = q.signed() ? (q.narrow() ? 1 - (1L << (q.bits() - 1)) : -(1L << (q.bits() - 1))) : 0;
            long hi = q.signed() ? (1L << (q.bits() - 1)) - 1 : (1L << q.bits()) - 1;
            ranges.put(op.name(), filled(n, lo, hi));
            quantizers.put(op.name(), new String[] {op.opType(), "RND_CONV", "SAT", Integer.toString(q.bits()), Integer.toString(q.bits())});
            return null;
        }
        if (op instanceof DequantizeFixedOp || op instanceof DequantizeScaledOp) {
            ranges.put(op.name(), null);
            return null;
        }
        long[][] x = ranges.get(op.inputs().get(0));
        if (op instanceof ReluOp) {
            if (x != null) {
                long[][] r = new long[2][n];
                for (int e = 0; e < n; e++) {
                    r[0][e] = x[0][e] < 0 ? 0 : x[0][e];
                    r[1][e] = x[1][e] < 0 ? 0 : x[1][e];
                }
                ranges.put(op.name(), r);
            } else {
                ranges.put(op.name(), null);
            }
            return null;
        }
        if (op instanceof FlattenOp) {
            ranges.put(op.name(), x);
            return null;
        }
        if (op instanceof PoolOp p && p.kind() == PoolOp.Kind.MAX) {
            PoolGeometry g = new PoolGeometry(model.tensor(p.input()).shape(), out.shape(), p.window(), p.stride());
            long[][] r = new long[2][n];
            for (int e = 0; e < n; e++) {
                long l = Long.MIN_VALUE;
                long h = Long.MIN_VALUE;
                for (int i : g.window(e)) {
                    l = Math.max(l, x[0][i]);
                    h = Math.max(h, x[1][i]);
                }
                r[0][e] = l;
                r[1][e] = h;
            }
            ranges.put(op.name(), r);
            return null;
        }
        if (op instanceof PoolOp p) {
            PoolGeometry g = new PoolGeometry(model.tensor(p.input()).shape(), out.shape(), p.window(), p.stride());
            int channels = out.shape()[0];
            int per = n / channels;
            long[][] r = new long[2][n];
            long[] neg = new long[channels];
            long[] pos = new long[channels];
            for (int e = 0; e < n; e++) {
                long l = 0;
                long h = 0;
                long pn = 0;
                long pp = 0;
                for (int i : g.window(e)) {
                    l = Math.addExact(l, x[0][i]);
                    h = Math.addExact(h, x[1][i]);
                    pn = Math.addExact(pn, Math.min(0, x[0][i]));
                    pp = Math.addExact(pp, Math.max(0, x[1][i]));
                }
                r[0][e] = l;
                r[1][e] = h;
                neg[e / per] = Math.min(neg[e / per], pn);
                pos[e / per] = Math.max(pos[e / per], pp);
            }
            ranges.put(op.name(), r);
            List<Channel> ch = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                ch.add(new Channel(null, neg[c], pos[c], -1, -1, -1, fits(neg[c], pos[c], p.accumulatorBits())));
            }
            return new Layer(op.name(), op.opType(), "derived", p.accumulatorBits(), "element", x[0], x[1], -1, ch);
        }
        if (op instanceof AddOp a) {
            long[][] y = ranges.get(a.b());
            long[][] r = new long[2][n];
            List<Channel> ch = new ArrayList<>();
            for (int e = 0; e < n; e++) {
                r[0][e] = Math.addExact(x[0][e], y[0][e]);
                r[1][e] = Math.addExact(x[1][e], y[1][e]);
                long neg = Math.addExact(Math.min(0, x[0][e]), Math.min(0, y[0][e]));
                long pos = Math.addExact(Math.max(0, x[1][e]), Math.max(0, y[1][e]));
                ch.add(new Channel(null, neg, pos, -1, -1, -1, fits(neg, pos, a.accumulatorBits())));
            }
            ranges.put(op.name(), r);
            long[] inMin = new long[2 * n];
            long[] inMax = new long[2 * n];
            System.arraycopy(x[0], 0, inMin, 0, n);
            System.arraycopy(y[0], 0, inMin, n, n);
            System.arraycopy(x[1], 0, inMax, 0, n);
            System.arraycopy(y[1], 0, inMax, n, n);
            return new Layer(op.name(), op.opType(), "derived", a.accumulatorBits(), "element", inMin, inMax, -1, ch);
        }
        if (op instanceof DenseOp d) {
            return dot(op, d.weights(), d.bias(), d.inFeatures(), 1, d.accumulatorBits(), d.constraint(), x[0], x[1], "element", n, 1);
        }
        if (op instanceof ConvOp c) {
            int cin = c.inChannels();
            int per = x[0].length / cin;
            boolean padded = false;
            for (int p : c.padding()) {
                padded = padded || p != 0;
            }
            long[] lo = new long[cin];
            long[] hi = new long[cin];
            for (int ch = 0; ch < cin; ch++) {
                long l = x[0][ch * per];
                long h = x[1][ch * per];
                for (int e = ch * per + 1; e < (ch + 1) * per; e++) {
                    l = Math.min(l, x[0][e]);
                    h = Math.max(h, x[1][e]);
                }
                lo[ch] = padded ? Math.min(0, l) : l;
                hi[ch] = padded ? Math.max(0, h) : h;
            }
            return dot(op, c.weights(), c.bias(), c.taps(), c.taps() / cin, c.accumulatorBits(), c.constraint(), lo, hi, "channel", n,
                    n / c.outChannels());
        }
        throw new IllegalStateException("unhandled op " + op.opType());
    }

    /**
     * One dot product per output channel; {@code tapsPerRange} consecutive weights share one input
     * range (1 for dense: per position; kernel size for conv: per input channel).
     */
    private Layer dot(ModelOp op, int[] w, long[] bias, int k, int tapsPerRange, int bits, A2qConstraint con, long[] lo, long[] hi,
            String granularity, int n, int perChannel) {
        int channels = bias.length;
        long limit = -1;
        long inLo = 0;
        long inHi = 0;
        long wMax = Long.MAX_VALUE;
        if (con != null) {
            BigInteger reg = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            if (con.variant() == A2qConstraint.Variant.A2Q) {
                int shift = con.inputBits() - (con.inputSigned() ? 1 : 0);
                limit = reg.shiftRight(shift).longValueExact();
            } else {
                limit = reg.divide(BigInteger.ONE.shiftLeft(con.inputBits()).subtract(BigInteger.ONE)).longValueExact();
            }
            inLo = con.inputSigned() ? -(1L << (con.inputBits() - 1)) : 0;
            inHi = con.inputSigned() ? (1L << (con.inputBits() - 1)) - 1 : (1L << con.inputBits()) - 1;
            wMax = (1L << (con.weightBits() - 1)) - 1;
            for (int j = 0; j < lo.length; j++) {
                if (lo[j] < inLo || hi[j] > inHi) {
                    problem(CheckReport.Kind.FAILS, op.name(), -1, "input position/channel " + j + " ranges over [" + lo[j] + ", " + hi[j]
                            + "], outside the " + con.inputBits() + "-bit " + (con.inputSigned() ? "signed" : "unsigned")
                            + " range the " + (con.variant() == A2qConstraint.Variant.A2Q ? "A2Q" : "A2Q+") + " bound assumes");
                    break;
                }
            }
        }
        // fast path when |w|·|x|·(k+1) + |bias| < 2^62, decided exactly with BigInteger
        long maxW = 0;
        for (int v : w) {
            maxW = Math.max(maxW, Math.abs((long) v));
        }
        long maxX = 0;
        for (int j = 0; j < lo.length; j++) {
            boolean extreme = lo[j] == Long.MIN_VALUE || hi[j] == Long.MIN_VALUE;
            maxX = extreme ? Long.MAX_VALUE : Math.max(maxX, Math.max(Math.abs(lo[j]), Math.abs(hi[j])));
        }
        long maxB = 0;
        for (long v : bias) {
            maxB = Math.max(maxB, v == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(v));
        }
        boolean fast = BigInteger.valueOf(maxW).multiply(BigInteger.valueOf(maxX)).multiply(BigInteger.valueOf(k + 1L))
                .add(BigInteger.valueOf(maxB)).compareTo(BigInteger.ONE.shiftLeft(62)) < 0;
        List<Channel> list = new ArrayList<>(channels);
        long[][] r = new long[2][n];
        ByteBuffer buf = ByteBuffer.allocate(k * 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        java.nio.IntBuffer ints = buf.asIntBuffer();
        for (int c = 0; c < channels; c++) {
            long b = bias[c];
            long sLo = b;
            long sHi = b;
            long neg = Math.min(0, b);
            long pos = Math.max(0, b);
            long qPos = 0;
            long qNeg = 0;
            boolean weightsInRange = true;
            int base = c * k;
            ints.clear();
            ints.put(w, base, k);
            if (fast && tapsPerRange == 1) {
                // no product or sum can leave the long range (checked exactly above): plain arithmetic is exact
                for (int t = 0; t < k; t++) {
                    long wt = w[base + t];
                    long a1 = wt * lo[t];
                    long a2 = wt * hi[t];
                    long tLo = Math.min(a1, a2);
                    long tHi = Math.max(a1, a2);
                    sLo += tLo;
                    sHi += tHi;
                    neg += Math.min(tLo, 0);
                    pos += Math.max(tHi, 0);
                    qPos += Math.max(wt, 0);
                    qNeg += Math.max(-wt, 0);
                    weightsInRange &= wt <= wMax && -wt <= wMax;
                }
            } else if (fast) {
                for (int t = 0; t < k; t++) {
                    long wt = w[base + t];
                    int j = t / tapsPerRange;
                    long a1 = wt * lo[j];
                    long a2 = wt * hi[j];
                    long tLo = Math.min(a1, a2);
                    long tHi = Math.max(a1, a2);
                    sLo += tLo;
                    sHi += tHi;
                    neg += Math.min(tLo, 0);
                    pos += Math.max(tHi, 0);
                    qPos += Math.max(wt, 0);
                    qNeg += Math.max(-wt, 0);
                    weightsInRange &= wt <= wMax && -wt <= wMax;
                }
            } else {
                for (int t = 0; t < k; t++) {
                    int wt = w[base + t];
                    if (wt == 0) {
                        continue;
                    }
                    int j = t / tapsPerRange;
                    long a1 = Math.multiplyExact((long) wt, lo[j]);
                    long a2 = Math.multiplyExact((long) wt, hi[j]);
                    long tLo = wt > 0 ? a1 : a2;
                    long tHi = wt > 0 ? a2 : a1;
                    sLo = Math.addExact(sLo, tLo);
                    sHi = Math.addExact(sHi, tHi);
                    if (tLo < 0) {
                        neg = Math.addExact(neg, tLo);
                    }
                    if (tHi > 0) {
                        pos = Math.addExact(pos, tHi);
                    }
                    if (wt > 0) {
                        qPos += wt;
                    } else {
                        qNeg -= wt;
                    }
                    if (wt > wMax || -(long) wt > wMax) {
                        weightsInRange = false;
                    }
                }
            }
            weights += k;
            buf.putLong(k * 4, b);
            String hash = HexFormat.of().formatHex(sha.digest(buf.array()));
            boolean holds = fits(neg, pos, bits);
            long l1 = -1;
            long hp = -1;
            long hn = -1;
            if (con != null) {
                if (!weightsInRange) {
                    holds = false;
                    problem(CheckReport.Kind.FAILS, op.name(), c, "a weight exceeds the " + con.weightBits() + "-bit narrow range ±" + wMax);
                }
                if (con.variant() == A2qConstraint.Variant.A2Q) {
                    l1 = qPos + qNeg;
                    if (l1 > limit) {
                        holds = false;
                        problem(CheckReport.Kind.FAILS, op.name(), c, "A2Q: ‖q‖₁ = " + l1 + " > T = " + limit + " (P = " + bits + ", N = "
                                + con.inputBits() + ", " + (con.inputSigned() ? "signed" : "unsigned") + ")");
                    }
                } else {
                    hp = qPos;
                    hn = qNeg;
                    if (qPos > limit || qNeg > limit) {
                        holds = false;
                        problem(CheckReport.Kind.FAILS, op.name(), c, "A2Q+: Q+ = " + qPos + ", Q− = " + qNeg + ", each must be ≤ T/2 = "
                                + limit + " (P = " + bits + ", N = " + con.inputBits() + ")");
                    }
                }
            }
            if (!fits(neg, pos, bits)) {
                problem(CheckReport.Kind.FAILS, op.name(), c, "partial sums range over [" + neg + ", " + pos + "], which needs "
                        + signedBits(neg, pos) + " bits; the declared accumulator has " + bits);
            }
            list.add(new Channel(hash, neg, pos, l1, hp, hn, holds));
            for (int e = c * perChannel; e < (c + 1) * perChannel; e++) {
                r[0][e] = sLo;
                r[1][e] = sHi;
            }
        }
        ranges.put(op.name(), r);
        String method = con == null ? "derived" : con.variant() == A2qConstraint.Variant.A2Q ? "A2Q" : "A2Q+";
        return new Layer(op.name(), op.opType(), method, bits, granularity, lo, hi, limit, list);
    }

    private static boolean fits(long min, long max, int bits) {
        if (bits >= 64) {
            return true;
        }
        return min >= -(1L << (bits - 1)) && max <= (1L << (bits - 1)) - 1;
    }

    private static int signedBits(long min, long max) {
        int p = 1;
        while (p < 64 && !fits(min, max, p)) {
            p++;
        }
        return p;
    }

    private static int finnBits(long min, long max) {
        if (min >= 0) {
            return 64 - Long.numberOfLeadingZeros(max);
        }
        BigInteger m = BigInteger.valueOf(min).negate().max(BigInteger.valueOf(max).add(BigInteger.ONE));
        // ceil(log2(m)) + 1
        return m.subtract(BigInteger.ONE).bitLength() + 1;
    }

    private static long[][] filled(int n, long lo, long hi) {
        long[][] r = new long[2][n];
        java.util.Arrays.fill(r[0], lo);
        java.util.Arrays.fill(r[1], hi);
        return r;
    }

    private static long[][] formatRanges(FixedFormat[] f, OverflowMode o) {
        long[][] r = new long[2][f.length];
        for (int e = 0; e < f.length; e++) {
            int magnitude = f[e].i() + f[e].f();
            if (f[e].k() + magnitude <= 0) {
                continue;
            }
            BigInteger hi = BigInteger.ONE.shiftLeft(magnitude).subtract(BigInteger.ONE);
            BigInteger lo = f[e].k() == 0 ? BigInteger.ZERO : (o == OverflowMode.SAT_SYM ? hi.negate() : hi.negate().subtract(BigInteger.ONE));
            r[0][e] = lo.longValueExact();
            r[1][e] = hi.longValueExact();
        }
        return r;
    }

    private static String[] quantizerFacts(ModelOp op, FixedFormat[] f, String rounding, String overflow) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (FixedFormat x : f) {
            int w = Math.max(0, x.k() + x.i() + x.f());
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        return new String[] {op.opType(), rounding, overflow, Integer.toString(min), Integer.toString(max)};
    }

    // ------------------------------------------------------------------ comparison

    private void compareLayers(List<Layer> facts, Json[] stated) {
        Map<String, Json> byName = new LinkedHashMap<>();
        for (Json s : stated) {
            String name = s.string("layer");
            if (byName.put(name, s) != null) {
                problem(CheckReport.Kind.MALFORMED, name, -1, "layer appears twice in the certificate");
            }
        }
        for (Layer f : facts) {
            long wMin = 0;
            long wMax = 0;
            int minimal = 1;
            boolean holds = true;
            for (Channel c : f.channels) {
                wMin = Math.min(wMin, c.neg);
                wMax = Math.max(wMax, c.pos);
                minimal = Math.max(minimal, signedBits(c.neg, c.pos));
                holds &= c.holds;
            }
            rows.add(new CheckReport.Row(f.name, f.op, f.method, f.channels.size(), wMin, wMax, minimal, f.bits, holds));
            Json s = byName.remove(f.name);
            if (s == null) {
                problem(CheckReport.Kind.MISSING, f.name, -1, "the model's " + f.op + " layer is not in the certificate");
                continue;
            }
            same(f.name, -1, "op", s.string("op"), f.op);
            same(f.name, -1, "method", s.string("method"), f.method);
            same(f.name, -1, "accumulatorBits", s.integer("accumulatorBits"), f.bits);
            same(f.name, -1, "minimalBits", s.integer("minimalBits"), minimal);
            same(f.name, -1, "verdict", s.string("verdict"), holds ? "holds" : "fails");
            same(f.name, -1, "inputGranularity", s.string("inputGranularity"), f.granularity);
            if (f.limit >= 0 || s.has("a2qLimit")) {
                same(f.name, -1, "a2qLimit", s.has("a2qLimit") ? s.longValue("a2qLimit") : -1, f.limit);
            }
            sameArray(f.name, "inputMin", s.array("inputMin"), f.inMin);
            sameArray(f.name, "inputMax", s.array("inputMax"), f.inMax);
            Json[] chans = s.objects("channels");
            for (int c = 0; c < Math.max(chans.length, f.channels.size()); c++) {
                if (c >= chans.length) {
                    problem(CheckReport.Kind.MISSING, f.name, c, "channel not in the certificate");
                    continue;
                }
                if (c >= f.channels.size()) {
                    problem(CheckReport.Kind.EXTRA, f.name, c, "the model has only " + f.channels.size() + " channels");
                    continue;
                }
                compareChannel(f.name, c, chans[c], f.channels.get(c));
            }
        }
        for (String extra : byName.keySet()) {
            problem(CheckReport.Kind.EXTRA, extra, -1, "the certificate speaks about a layer the model does not have");
        }
    }

    private void compareChannel(String layer, int c, Json s, Channel f) {
        same(layer, c, "channel", s.integer("channel"), c);
        if (f.hash != null) {
            String h = s.has("weightSha256") ? s.string("weightSha256") : "(absent)";
            if (!h.equals(f.hash)) {
                problem(CheckReport.Kind.STALE, layer, c, "weightSha256 = " + h + " but the model's weights hash to " + f.hash);
            }
        } else if (s.has("weightSha256")) {
            problem(CheckReport.Kind.WRONG, layer, c, "weightSha256 given for an op without weights");
        }
        same(layer, c, "negativeSum", s.longValue("negativeSum"), f.neg);
        same(layer, c, "positiveSum", s.longValue("positiveSum"), f.pos);
        same(layer, c, "bitsNeeded", s.integer("bitsNeeded"), finnBits(f.neg, f.pos));
        same(layer, c, "signedBitsNeeded", s.integer("signedBitsNeeded"), signedBits(f.neg, f.pos));
        same(layer, c, "holds", s.bool("holds") ? 1 : 0, f.holds ? 1 : 0);
        if (f.l1 >= 0 || s.has("l1Norm")) {
            same(layer, c, "l1Norm", s.has("l1Norm") ? s.longValue("l1Norm") : -1, f.l1);
        }
        if (f.qPos >= 0 || s.has("positiveWeightSum")) {
            same(layer, c, "positiveWeightSum", s.has("positiveWeightSum") ? s.longValue("positiveWeightSum") : -1, f.qPos);
            same(layer, c, "negativeWeightSum", s.has("negativeWeightSum") ? s.longValue("negativeWeightSum") : -1, f.qNeg);
        }
    }

    private void compareQuantizers(Map<String, String[]> facts, Json[] stated) {
        Map<String, Json> byName = new LinkedHashMap<>();
        for (Json s : stated) {
            byName.put(s.string("layer"), s);
        }
        for (Map.Entry<String, String[]> e : facts.entrySet()) {
            Json s = byName.remove(e.getKey());
            String[] f = e.getValue();
            if (s == null) {
                problem(CheckReport.Kind.MISSING, e.getKey(), -1, "activation quantizer not in the certificate");
                continue;
            }
            same(e.getKey(), -1, "op", s.string("op"), f[0]);
            same(e.getKey(), -1, "rounding", s.string("rounding"), f[1]);
            same(e.getKey(), -1, "overflow", s.string("overflow"), f[2]);
            same(e.getKey(), -1, "minWidth", s.integer("minWidth"), Integer.parseInt(f[3]));
            same(e.getKey(), -1, "maxWidth", s.integer("maxWidth"), Integer.parseInt(f[4]));
        }
        for (String extra : byName.keySet()) {
            problem(CheckReport.Kind.EXTRA, extra, -1, "the certificate names a quantizer the model does not have");
        }
    }

    private void same(String layer, int c, String field, Object stated, Object actual) {
        if (!stated.equals(actual)) {
            problem(CheckReport.Kind.WRONG, layer, c, field + " = " + stated + ", recomputed " + actual);
        }
    }

    private void sameArray(String layer, String field, com.google.gson.JsonArray stated, long[] actual) {
        if (stated.size() != actual.length) {
            problem(CheckReport.Kind.WRONG, layer, -1, field + " has " + stated.size() + " entries, recomputed " + actual.length);
            return;
        }
        for (int j = 0; j < actual.length; j++) {
            long v;
            try {
                v = new java.math.BigDecimal(stated.get(j).getAsString()).longValueExact();
            } catch (RuntimeException e) {
                problem(CheckReport.Kind.MALFORMED, layer, -1, field + "[" + j + "] is not an integer");
                return;
            }
            if (v != actual[j]) {
                problem(CheckReport.Kind.WRONG, layer, -1, field + "[" + j + "] = " + v + ", recomputed " + actual[j]);
                return;
            }
        }
    }
}
