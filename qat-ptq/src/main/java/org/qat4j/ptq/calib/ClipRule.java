package org.qat4j.ptq.calib;

import org.qat4j.ptq.kernel.ClipSearch;
import org.qat4j.ptq.kernel.UniformGrid;

/**
 * How a clip α is chosen from a tensor's values: the range end (min-max), a percentile of the magnitudes, or
 * the Lp-optimal clip (p = 2: MSE; LAPQ arXiv 1911.07190 §3.1).
 *
 * @param kind the criterion
 * @param value p for {@link Kind#LP}, the percentile for {@link Kind#PERCENTILE}, unused for MIN_MAX
 */
public record ClipRule(Kind kind, double value) {

    /** The criteria. */
    public enum Kind {
        MIN_MAX,
        PERCENTILE,
        LP
    }

    /** Validates the parameter. */
    public ClipRule {
        if (kind == Kind.LP && !(value > 0)) {
            throw new IllegalArgumentException("p must be > 0, got " + value);
        }
        if (kind == Kind.PERCENTILE && !(value > 0 && value <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + value);
        }
    }

    public static ClipRule minMax() {
        return new ClipRule(Kind.MIN_MAX, 0);
    }

    public static ClipRule percentile(double q) {
        return new ClipRule(Kind.PERCENTILE, q);
    }

    public static ClipRule lp(double p) {
        return new ClipRule(Kind.LP, p);
    }

    public static ClipRule mse() {
        return lp(2);
    }

    /** The clip of {@code values} on {@code grid}. */
    public double clip(double[] values, UniformGrid grid) {
        return switch (kind) {
            case MIN_MAX -> ClipSearch.range(values, grid);
            case PERCENTILE -> ClipSearch.percentile(values, grid, value);
            case LP -> ClipSearch.lpOptimal(values, grid, value);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case MIN_MAX -> "min-max";
            case PERCENTILE -> "percentile " + value;
            case LP -> value == 2 ? "MSE" : "L" + value;
        };
    }
}
