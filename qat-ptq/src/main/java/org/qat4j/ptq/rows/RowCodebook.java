package org.qat4j.ptq.rows;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * The codebook variant of arXiv 1911.02079 §3.2: each row's values are clustered into
 * {@code 2^bits} centroids by k-means++ (Commons Math {@link KMeansPlusPlusClusterer}, seeded), the
 * row stores the centroids and one code per value. A row with fewer distinct values than centroids
 * uses each distinct value as a centroid (unused entries repeat the last one).
 */
public final class RowCodebook {
    private RowCodebook() {}

    /** The {@code 2^bits} centroids of one row, ascending. */
    public static double[] centroids(float[] row, int bits, int maxIterations, long seed) {
        int k = 1 << bits;
        java.util.TreeSet<Float> distinct = new java.util.TreeSet<>();
        for (float x : row) {
            distinct.add(x);
        }
        double[] out = new double[k];
        if (distinct.size() <= k) {
            int i = 0;
            for (float x : distinct) {
                out[i++] = x;
            }
            for (; i < k; i++) {
                out[i] = out[i - 1];
            }
            return out;
        }
        List<DoublePoint> points = new ArrayList<>(row.length);
        for (float x : row) {
            points.add(new DoublePoint(new double[] {x}));
        }
        JDKRandomGenerator rng = new JDKRandomGenerator();
        rng.setSeed(seed);
        KMeansPlusPlusClusterer<DoublePoint> km = new KMeansPlusPlusClusterer<>(
                k,
                maxIterations,
                new EuclideanDistance(),
                rng,
                KMeansPlusPlusClusterer.EmptyClusterStrategy.LARGEST_VARIANCE);
        List<CentroidCluster<DoublePoint>> clusters = km.cluster(points);
        for (int c = 0; c < k; c++) {
            out[c] = c < clusters.size() ? clusters.get(c).getCenter().getPoint()[0] : out[c - 1];
        }
        java.util.Arrays.sort(out);
        return out;
    }
}
