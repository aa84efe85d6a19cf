package org.qat4j.hgq.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.util.Random;

/** Gaussian clusters: class c is centred at a random ±1 vector scaled by {@code separation}. */
final class SyntheticClusters {

    final float[][] centres;
    final int features;

    SyntheticClusters(int classes, int features, double separation, long seed) {
        this.features = features;
        Random rnd = new Random(seed);
        centres = new float[classes][features];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < features; j++) {
                centres[c][j] = (float) ((rnd.nextBoolean() ? 1 : -1) * separation);
            }
        }
    }

    ArrayDataset dataset(NDManager manager, int n, int batch, boolean shuffle, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n * features];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = rnd.nextInt(centres.length);
            y[s] = c;
            for (int j = 0; j < features; j++) {
                x[s * features + j] = centres[c][j] + (float) rnd.nextGaussian();
            }
        }
        NDArray data = manager.create(x, new ai.djl.ndarray.types.Shape(n, features));
        NDArray labels = manager.create(y);
        return new ArrayDataset.Builder()
                .setData(data)
                .optLabels(labels)
                .setSampling(batch, shuffle)
                .build();
    }
}
