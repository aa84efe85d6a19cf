package org.qat4j.ptq.multipoint;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Multipoint quantization (Liu et al., arXiv 2002.09049, §3): a weight vector is approximated as
 * {@code w ≈ Σᵢ aᵢ·qᵢ} with low-bit symmetric integer vectors {@code qᵢ ∈ [−(2^(b−1)−1), 2^(b−1)−1]^K},
 * chosen greedily on the residual: for a fixed scale {@code a} the best {@code q} is
 * {@code clamp(round(r/a))}, so each point is a 1-D search over {@code a} (Commons Math
 * {@link BrentOptimizer} on {@code [a₀/4, a₀]}, {@code a₀ = max|r|/(2^(b−1)−1)}, the min/max scale kept
 * when it is better). {@link #allocate} spreads a budget of extra points over output channels,
 * each time to the channel whose calibration output error {@code ‖X(w − ŵ)‖²} is largest (§3.2).
 *
 * <p>{@link MultipointQuantizer} turns the points into the model format's {@code multipoint_dense} op.
 */
public final class MultipointApproximation {
    /** One point: scale {@code a} and integer vector {@code q}. */
    public record Point(double scale, int[] codes) {}

    private MultipointApproximation() {}

    /** Squared error {@code ‖r − a·clamp(round(r/a))‖²}. */
    public static double error(double[] r, double a, int bits) {
        int top = (1 << (bits - 1)) - 1;
        double e = 0;
        for (double x : r) {
            double q = Math.max(-top, Math.min(top, Math.rint(x / a)));
            double d = x - a * q;
            e += d * d;
        }
        return e;
    }

    /** The best single point for {@code r} at {@code bits} bits (bits ≥ 2). */
    public static Point fit(double[] r, int bits) {
        if (bits < 2) {
            throw new IllegalArgumentException("bits = " + bits + ": symmetric codes need at least 2 bits");
        }
        int top = (1 << (bits - 1)) - 1;
        double maxAbs = 0;
        for (double x : r) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        if (maxAbs == 0) {
            return new Point(1, new int[r.length]);
        }
        double a0 = maxAbs / top;
        UnivariatePointValuePair p = new BrentOptimizer(1e-10, 1e-14)
                .optimize(
                        new MaxEval(400),
                        new UnivariateObjectiveFunction(a -> error(r, a, bits)),
                        GoalType.MINIMIZE,
                        new SearchInterval(a0 / 4, a0));
        double a = p.getValue() < error(r, a0, bits) ? p.getPoint() : a0;
        int[] q = new int[r.length];
        for (int j = 0; j < r.length; j++) {
            q[j] = (int) Math.max(-top, Math.min(top, Math.rint(r[j] / a)));
        }
        return new Point(a, q);
    }

    /** The residual {@code w − Σ aᵢ qᵢ}. */
    public static double[] residual(double[] w, List<Point> points) {
        double[] r = w.clone();
        for (Point p : points) {
            for (int j = 0; j < r.length; j++) {
                r[j] -= p.scale() * p.codes()[j];
            }
        }
        return r;
    }

    /** {@code n} greedy points for one vector. */
    public static List<Point> greedy(double[] w, int bits, int n) {
        List<Point> pts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pts.add(fit(residual(w, pts), bits));
        }
        return pts;
    }

    /** Calibration output error of one channel: {@code Σ_s (x_s · r)²} over the rows of {@code x}. */
    public static double outputError(double[][] x, double[] residual) {
        double e = 0;
        for (double[] xs : x) {
            double d = 0;
            for (int j = 0; j < residual.length; j++) {
                d += xs[j] * residual[j];
            }
            e += d * d;
        }
        return e;
    }

    /**
     * One point per channel of {@code w} ({@code [O][K]}), then {@code extra} more, each to the channel with
     * the largest calibration output error on {@code x} ({@code [N][K]}); returns the points per channel.
     */
    public static List<List<Point>> allocate(double[][] w, double[][] x, int bits, int extra) {
        List<List<Point>> out = new ArrayList<>();
        PriorityQueue<double[]> worst = new PriorityQueue<>((p, q) -> Double.compare(q[0], p[0]));
        for (int o = 0; o < w.length; o++) {
            List<Point> pts = new ArrayList<>(List.of(fit(w[o], bits)));
            out.add(pts);
            worst.add(new double[] {outputError(x, residual(w[o], pts)), o});
        }
        for (int k = 0; k < extra; k++) {
            int o = (int) worst.poll()[1];
            List<Point> pts = out.get(o);
            pts.add(fit(residual(w[o], pts), bits));
            worst.add(new double[] {outputError(x, residual(w[o], pts)), o});
        }
        return out;
    }
}
