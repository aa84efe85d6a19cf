package org.qat4j.datasets;

/**
 * Per-column standardization {@code z = (x − μ)/σ} with μ and σ (population standard deviation, as
 * scikit-learn's {@code StandardScaler}) computed in double precision from chosen rows only, so test
 * rows never leak into the statistics. A constant column gets σ = 1.
 */
public final class Standardizer {

    private final double[] mean;
    private final double[] std;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Fits μ and σ of each of {@code width} columns over the rows listed in {@code rows}. */
    public static Standardizer fit(float[] data, int width, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("cannot fit a standardizer on 0 rows");
        }
        double[] mean = new double[width];
        double[] m2 = new double[width];
        long n = 0;
        // Welford's update: stable for the large, offset columns of physics data (e.g. masses).
        for (int r : rows) {
            n++;
            int base = r * width;
            for (int c = 0; c < width; c++) {
                double x = data[base + c];
                double delta = x - mean[c];
                mean[c] += delta / n;
                m2[c] += delta * (x - mean[c]);
            }
        }
        double[] std = new double[width];
        for (int c = 0; c < width; c++) {
            double s = Math.sqrt(m2[c] / n);
            std[c] = s > 0 ? s : 1.0;
        }
        return new Standardizer(mean, std);
    }

    /** Returns the standardized rows {@code rows} of {@code data}, row-major, in the given order. */
    public float[] apply(float[] data, int width, int[] rows) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            int from = rows[i] * width;
            for (int c = 0; c < width; c++) {
                out[i * width + c] = (float) ((data[from + c] - mean[c]) / std[c]);
            }
        }
        return out;
    }

    /** Column means μ. */
    public double[] mean() {
        return mean.clone();
    }

    /** Column standard deviations σ (1 for constant columns). */
    public double[] std() {
        return std.clone();
    }
}
