package org.qat4j.ptq.kernel;

/**
 * The clipping error of LAPQ's Lp initialization (arXiv 1911.07190, Eq. 4):
 * {@code E_p(α) = mean_i |Q_α(x_i) − x_i|^p} for the clipped uniform quantizer of a {@link UniformGrid};
 * p = 2 is the MSE criterion of the MSE-optimal baseline.
 */
public final class ClippingError {

    private ClippingError() {}

    /**
     * @param values the tensor's values (or a row of it)
     * @param grid the quantizer's integer range
     * @param alpha the clip, {@code > 0}
     * @param p the exponent, {@code > 0}
     */
    public static double lp(double[] values, UniformGrid grid, double alpha, double p) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
        }
        if (!(p > 0)) {
            throw new IllegalArgumentException("p must be > 0, got " + p);
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("values is empty");
        }
        double step = grid.step(alpha);
        double sum = 0;
        boolean square = p == 2.0;
        for (double x : values) {
            double e = Math.abs(grid.quantize(x, step) - x);
            sum += square ? e * e : Math.pow(e, p);
        }
        return sum / values.length;
    }
}
