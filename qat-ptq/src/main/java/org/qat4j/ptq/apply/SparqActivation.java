package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.ptq.kernel.SparqSettings;
import org.qat4j.runtime.fixed.SparqWindow;

/**
 * SPARQ (arXiv 2105.11010 §3) in front of a quantized layer of a PTQ twin, evaluation only: it reads the layer's
 * unsigned 8-bit activations {@code q·s}, recovers {@code q = rint(x / s)} in the array's own type (as the layer
 * does), trims them with {@link SparqWindow} and vSPARQ's pairing along axis 1 (channels 2c, 2c+1, or features
 * 2j, 2j+1), and hands {@code t·s} to the layer, whose {@code rint(t·s / s)} is t again. The integer model's
 * {@code sparq} op computes the same; the export pipeline's bit-exact comparison holds the two to each other.
 */
public final class SparqActivation extends AbstractBlock {
    private static final byte VERSION = 1;

    private final ActivationQuantizer quantizer;
    private final long[] table;
    private final boolean pairs;

    /**
     * @param quantizer the unsigned 8-bit quantizer whose values the layer reads
     * @param settings windows, rounding, pairing
     */
    public SparqActivation(ActivationQuantizer quantizer, SparqSettings settings) {
        super(VERSION);
        if (quantizer.isSigned() || quantizer.getBits() != SparqSettings.INPUT_BITS) {
            throw new IllegalArgumentException(
                    "SPARQ serves unsigned " + SparqSettings.INPUT_BITS + "-bit activations, got " + quantizer);
        }
        this.quantizer = quantizer;
        this.table = settings.window().table();
        this.pairs = settings.pairs();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (training) {
            throw new UnsupportedOperationException("SparqActivation is a post-training, evaluation-only block");
        }
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int channels = Math.toIntExact(shape.get(1));
        int per = Math.toIntExact(shape.size() / ((long) batch * channels));
        float s = quantizer.scaleValue();
        boolean f64 = x.getDataType() == DataType.FLOAT64;
        double[] v = x.toType(DataType.FLOAT64, false).toDoubleArray();
        long[] q = new long[v.length];
        for (int e = 0; e < v.length; e++) {
            // the layer's own rint(x / s): float32 division for float32 arrays, float64 otherwise
            double r = f64 ? Math.rint(v[e] / s) : Math.rint((float) v[e] / s);
            if (r < 0 || r >= table.length) {
                throw new IllegalStateException(
                        "SPARQ input " + v[e] + " / " + s + " is not an unsigned 8-bit integer");
            }
            q[e] = (long) r;
        }
        long[] t = trim(q, batch, channels, per);
        NDArray out;
        if (f64) {
            double[] o = new double[t.length];
            for (int e = 0; e < t.length; e++) {
                o[e] = t[e] * (double) s;
            }
            out = x.getManager().create(o, shape);
        } else {
            float[] o = new float[t.length];
            for (int e = 0; e < t.length; e++) {
                o[e] = t[e] * s;
            }
            out = x.getManager().create(o, shape);
        }
        return new NDList(out);
    }

    private long[] trim(long[] q, int batch, int channels, int per) {
        long[] t = new long[q.length];
        int numel = channels * per;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < per; i++) {
                    int e = b * numel + c * per + i;
                    int partner = c ^ 1;
                    boolean keep = pairs && (partner >= channels || q[e] == 0 || q[b * numel + partner * per + i] == 0);
                    t[e] = keep ? q[e] : table[(int) q[e]];
                }
            }
        }
        return t;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
