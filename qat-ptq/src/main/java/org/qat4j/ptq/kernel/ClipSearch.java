package org.qat4j.ptq.kernel;

import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Clip values of a tensor for a {@link UniformGrid}: the range end (min-max), a percentile of the
 * magnitudes, and the Lp-optimal clip {@code argmin_α E_p(α)} (LAPQ arXiv 1911.07190 §3.1; p = 2 is the
 * MSE-optimal clip of Banner et al. arXiv 1810.05723) by Brent's bounded 1-D search over
 * {@code α ∈ [10^−3·range, range]} (Commons Math {@link BrentOptimizer}), kept only where it beats the range
 * end itself.
 */
public final class ClipSearch {

    /** Brent evaluations allowed per search. */
    static final int MAX_EVALUATIONS = 200;
    /** Fraction of the range at which the search interval starts. */
    static final double LOWER_FRACTION = 1e-3;

    private ClipSearch() {}

    /**
     * The range end: {@code max|x|} for a signed grid, {@code max(x)} for an unsigned one, never below a
     * tiny positive value (an all-zero tensor gets a clip that quantizes it to zeros).
     */
    public static double range(double[] values, UniformGrid grid) {
        double m = 0;
        for (double x : values) {
            m = Math.max(m, grid.signed() ? Math.abs(x) : x);
        }
        return m > 0 ? m : Double.MIN_NORMAL;
    }

    /** The {@code q}-th percentile (0 < q ≤ 100) of |x| (signed grid) or of max(x, 0) (unsigned grid). */
    public static double percentile(double[] values, UniformGrid grid, double q) {
        if (!(q > 0 && q <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + q);
        }
        double[] m = new double[values.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = grid.signed() ? Math.abs(values[i]) : Math.max(values[i], 0);
        }
        double v = new Percentile(q).evaluate(m);
        return v > 0 ? v : range(values, grid);
    }

    /** The Lp-optimal clip in {@code [LOWER_FRACTION·range, range]}, or the range end when that is no worse. */
    public static double lpOptimal(double[] values, UniformGrid grid, double p) {
        double hi = range(values, grid);
        if (hi == Double.MIN_NORMAL) {
            return hi;
        }
        BrentOptimizer brent = new BrentOptimizer(1e-6, hi * 1e-9);
        UnivariatePointValuePair best = brent.optimize(
                new MaxEval(MAX_EVALUATIONS),
                GoalType.MINIMIZE,
                new SearchInterval(hi * LOWER_FRACTION, hi),
                new UnivariateObjectiveFunction(a -> ClippingError.lp(values, grid, a, p)));
        double atRange = ClippingError.lp(values, grid, hi, p);
        return best.getValue() < atRange ? best.getPoint() : hi;
    }
}
