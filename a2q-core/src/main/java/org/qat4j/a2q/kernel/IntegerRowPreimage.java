package org.qat4j.a2q.kernel;

import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * A real row whose A2Q / A2Q+ quantization is a given integer row: the start a QAT layer needs to compute exactly
 * the integers of an accumulator-aware PTQ result (AXE, arXiv 2409.17092) before its first step.
 *
 * <p>The weight-normalized quantizer (arXiv 2308.13504 Eq. 16–18, arXiv 2401.10432 Eq. 11–13) computes
 * {@code q = trunc(y)} from {@code y = (v − μ)/pre} (A2Q: μ = 0), where {@code pre = ‖v − μ‖₁ / g'} makes
 * {@code ‖y‖₁ = g' ≤ T}. Copying {@code v = q·s} gives {@code y = q − mean(q)}, so for a row whose mean is not zero
 * every positive (or every negative) integer drops by one. Instead this kernel builds y with
 *
 * <pre>
 *   trunc(y_i) = q_i, every y_i at least ε inside trunc's interval:
 *       q_i &gt; 0: y_i ∈ [q_i + ε, q_i + 1 − ε],  q_i &lt; 0: y_i ∈ [q_i − 1 + ε, q_i − ε],  q_i = 0: |y_i| ≤ 1 − ε
 *   A2Q+:  Σ y_i = 0 (so μ = 0 and the mean discards nothing) and each sign half Σ_{y&gt;0} y = Σ_{y&lt;0} |y| &lt; T/2
 *   A2Q:   ‖y‖₁ &lt; T
 * </pre>
 *
 * Then v = y·s with {@code g = ‖y‖₁·s} reproduces q (the quantizer's float32 rounding moves y by far less than ε,
 * which callers confirm by quantizing). A2Q+: start from {@code y_i = q_i ± ε} (0 for zeros); the side with less
 * mass is lowered (raised) on its non-positive (non-negative) entries, each by the same fraction of its room, until
 * the sums balance; both halves then hold {@code max(Q⁺ + n⁺ε, Q⁻ + n⁻ε)}. Such a y exists iff the integers' sign
 * halves Q⁺, Q⁻ are below T/2 (the A2Q+ bound AXE keeps) and the sum {@code Σq} can be cancelled by entries that may
 * move towards it, each by less than one. That is a limit of A2Q+'s quantizer, not of this construction: for a
 * zero-mean y, {@code Σ trunc(y_i) = −Σ (y_i − trunc(y_i))} lies strictly between {@code −#{y_i > 0}} and
 * {@code #{y_i < 0}}, so an integer row whose sum reaches the number of its entries of the other sign or zero (e.g.
 * every entry positive) is not the output of any A2Q+ layer; AXE bounds the halves, not the sum, and produces such
 * rows. {@link #nearest} then moves the fewest integers it can by one unit each.
 */
public final class IntegerRowPreimage {

    /** The largest margin ε: a quarter of trunc's interval, leaving room to balance the sums. */
    static final double MAX_MARGIN = 0.25;
    /**
     * The smallest margin, relative to {@code 1 + max|q|}: about ten times the float32 error of the quantizer's y
     * (g is {@code 2^fl(log2 ‖v‖₁)}, a relative error near 1e-6 for norms between 2^−10 and 2^10).
     */
    static final double MIN_MARGIN_RELATIVE = 0x1p-16;

    private IntegerRowPreimage() {}

    /**
     * The real row, or why none exists.
     *
     * @param y the row (null when refused); {@code trunc(y)} is the row's integers, or the nearest reachable ones
     * @param margin ε: the smallest distance of a y_i from the ends of trunc's interval
     * @param changedUnits {@code Σ|trunc(y_i) − q_i|}: 0 when y reproduces q ({@link #nearest} moves integers)
     * @param reason why no row exists, or (for {@link #nearest} with changed units) why q itself has none
     */
    public record Result(double[] y, double margin, long changedUnits, String reason) {
        public boolean found() {
            return y != null;
        }

        /** True when {@code trunc(y)} is exactly the integers asked for. */
        public boolean exact() {
            return y != null && changedUnits == 0;
        }
    }

    /**
     * A real row y with {@code trunc(y) = q}, zero mean (A2Q+) and {@code ‖y‖₁ < T}, or why none exists.
     *
     * @param q the integer row
     * @param variant A2Q or A2Q+
     * @param bound T of the layer (A2Q+: each sign half of q must stay below T/2; A2Q: ‖q‖₁ below T)
     */
    public static Result of(long[] q, Variant variant, double bound) {
        if (!variant.isConstrained()) {
            throw new IllegalArgumentException("variant " + variant + " has no weight normalization to invert");
        }
        return variant == Variant.A2Q ? a2q(q, bound) : a2qPlus(q, bound);
    }

    /**
     * Like {@link #of}, but where only A2Q+'s zero mean stands in the way (the row's sum cannot be cancelled) the
     * integers nearest to q that a zero-mean row reaches: entries of the sum's sign move one unit toward zero, the
     * smallest first (a ±1 becoming 0 also frees room to cancel the sum), until a row exists. Every such move changes
     * one dequantized weight by exactly one step s, so this takes the fewest moves this order finds.
     */
    public static Result nearest(long[] q, Variant variant, double bound) {
        Result r = of(q, variant, bound);
        if (r.found() || variant != Variant.A2Q_PLUS || sumOf(q) == 0) {
            return r;
        }
        long[] moved = q.clone();
        long units = 0;
        while (true) {
            long sign = Long.signum(sumOf(moved));
            int pick = -1;
            for (int i = 0; i < moved.length; i++) {
                if (sign * moved[i] > 0 && (pick < 0 || Math.abs(moved[i]) < Math.abs(moved[pick]))) {
                    pick = i;
                }
            }
            if (sign == 0 || pick < 0) {
                return r;
            }
            moved[pick] -= sign;
            units++;
            Result m = a2qPlus(moved, bound);
            if (m.found()) {
                return new Result(m.y(), m.margin(), units, r.reason());
            }
        }
    }

    private static Result a2q(long[] q, double bound) {
        long l1 = 0;
        int nonZero = 0;
        for (long x : q) {
            l1 += Math.abs(x);
            nonZero += x != 0 ? 1 : 0;
        }
        double slack = bound - l1;
        if (!(slack > 0)) {
            return refused("‖q‖₁ = " + l1 + " is not below A2Q's T = " + bound);
        }
        double eps = Math.min(MAX_MARGIN, slack / (2.0 * Math.max(1, nonZero)));
        if (eps < minMargin(largest(q))) {
            return refused("‖q‖₁ = " + l1 + " is within " + slack + " of A2Q's T = " + bound
                    + ": no margin against float32 rounding");
        }
        double[] y = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            y[i] = q[i] > 0 ? q[i] + eps : q[i] < 0 ? q[i] - eps : 0;
        }
        return new Result(y, eps, 0, null);
    }

    private static Result a2qPlus(long[] q, double bound) {
        long pos = 0;
        long neg = 0;
        int nPos = 0;
        int nNeg = 0;
        for (long x : q) {
            if (x > 0) {
                pos += x;
                nPos++;
            } else if (x < 0) {
                neg -= x;
                nNeg++;
            }
        }
        double half = bound / 2;
        double slack = half - Math.max(pos, neg);
        if (!(slack > 0)) {
            return refused("a sign half of the row (Q+ = " + pos + ", Q- = " + neg + ") is not below A2Q+'s T/2 = "
                    + half + ": a zero-mean row with ‖y‖₁ < T cannot truncate to it");
        }
        double eps = Math.min(MAX_MARGIN, slack / (2.0 * Math.max(1, Math.max(nPos, nNeg))));
        double min = minMargin(largest(q));
        if (eps < min) {
            return refused("a sign half of the row (Q+ = " + pos + ", Q- = " + neg + ") is within " + slack
                    + " of A2Q+'s T/2 = " + half + ": no margin against float32 rounding");
        }
        String why = null;
        for (; eps >= min; eps /= 2) {
            double[] y = new double[q.length];
            why = balanced(q, eps, y);
            if (why == null) {
                return new Result(y, eps, 0, null);
            }
        }
        return refused(why);
    }

    /** Fills y with the A2Q+ row at margin eps, or returns why the sums cannot balance. */
    private static String balanced(long[] q, double eps, double[] y) {
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            y[i] = q[i] > 0 ? q[i] + eps : q[i] < 0 ? q[i] - eps : 0;
            sum += y[i];
        }
        if (sum == 0) {
            return null;
        }
        // move the entries that may go against the sum's sign: sign(sum)·q ≤ 0
        double sign = Math.signum(sum);
        double room = 0;
        for (long x : q) {
            room += sign * x < 0 ? 1 - 2 * eps : x == 0 ? 1 - eps : 0;
        }
        double need = Math.abs(sum);
        if (!(need < room)) {
            return "the row's sum Σq = " + sumOf(q) + " cannot be cancelled: the entries that may move against it "
                    + "(each by less than one, to keep its integer) give at most " + room;
        }
        double f = need / room;
        for (int i = 0; i < q.length; i++) {
            double r = sign * q[i] < 0 ? 1 - 2 * eps : q[i] == 0 ? 1 - eps : 0;
            y[i] -= sign * f * r;
        }
        return null;
    }

    /** The smallest margin for a row whose largest integer magnitude is {@code largest}. */
    public static double minMargin(long largest) {
        return MIN_MARGIN_RELATIVE * (1 + largest);
    }

    private static long largest(long[] q) {
        long m = 0;
        for (long x : q) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static long sumOf(long[] q) {
        long s = 0;
        for (long x : q) {
            s += x;
        }
        return s;
    }

    private static Result refused(String reason) {
        return new Result(null, 0, 0, reason);
    }
}
