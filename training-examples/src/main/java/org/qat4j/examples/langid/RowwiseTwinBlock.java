package org.qat4j.examples.langid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The row-wise quantized language-id network ({@link RowwiseLanguageId}) as a DJL block, evaluation only, so that
 * {@code ExportPipeline} compares it with the integer model bit for bit: the float inputs become indices as the
 * model's {@code quantize_fixed} makes them ({@code floor(x + 1/2)}, saturated to the signed index range; outside
 * {@code [0, R)} is padding), then in FLOAT64 on the engine, where every intermediate is an exact dyadic value:
 * bag counts · decoded table, ReLU, {@code clip(floor(h · 2^fa + 1/2), 0, 2^8 − 1) · 2^-fa}, times the dequantized
 * classifier plus bias, and one cast of the logits to FLOAT32 (the runtime's {@code dequantize_fixed}).
 */
final class RowwiseTwinBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final double[] table;
    private final int buckets;
    private final int dim;
    private final int indexBits;
    private final int actFrac;
    private final double[] weights;
    private final double[] bias;

    RowwiseTwinBlock(
            double[] table, int buckets, int dim, int indexBits, int actFrac, double[] weights, double[] bias) {
        super(VERSION);
        this.table = table;
        this.buckets = buckets;
        this.dim = dim;
        this.indexBits = indexBits;
        this.actFrac = actFrac;
        this.weights = weights;
        this.bias = bias;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int batch = Math.toIntExact(x.getShape().get(0));
        int positions = Math.toIntExact(x.getShape().get(1));
        double[] v = x.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] counts = new double[batch * buckets];
        long lo = -(1L << indexBits);
        long hi = (1L << indexBits) - 1;
        for (int s = 0; s < batch; s++) {
            for (int p = 0; p < positions; p++) {
                double r = Math.floor(v[s * positions + p] + 0.5); // exact: a float32 plus 1/2 is exact in double
                long idx = r <= lo ? lo : (r >= hi ? hi : (long) r);
                if (idx >= 0 && idx < buckets) {
                    counts[s * buckets + (int) idx] += 1;
                }
            }
        }
        NDManager m = x.getManager();
        int classes = bias.length;
        NDArray e = m.create(counts, new Shape(batch, buckets)).matMul(m.create(table, new Shape(buckets, dim)));
        NDArray q = e.maximum(0.0)
                .mul(Math.scalb(1.0, actFrac))
                .add(0.5)
                .floor()
                .clip(0, (1 << RowwiseLanguageId.ACT_BITS) - 1)
                .mul(Math.scalb(1.0, -actFrac));
        NDArray logits =
                q.matMul(m.create(weights, new Shape(classes, dim)).transpose()).add(m.create(bias));
        return new NDList(logits.toType(DataType.FLOAT32, false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), bias.length)};
    }
}
