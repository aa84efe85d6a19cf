package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.qat4j.core.fixed.FixedPointOps;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * The multipoint MLP of {@link org.qat4j.ptq.multipoint.MultipointQuantizer} computed by DJL's engine in
 * FLOAT64 — the other side of the bit-exact comparison with the pure-Java runtime (multipoint
 * quantization, arXiv 2002.09049). Quantizers are {@link FixedPointOps}' exact NDArray kernels; each
 * {@code multipoint_dense} is two matrix products on integer-valued float64 tensors,
 * {@code A = X·Qᵀ} (point rows) and {@code Y = A·M + b} ({@code M[r][o] = m_r} when row r belongs to
 * channel o, else 0), exact because the certificate bounds every partial sum below 2^53 (checked
 * before running: a wider model is refused).
 */
public final class MultipointForward {
    private MultipointForward() {}

    /**
     * The model's float32 output for {@code batch} samples.
     *
     * @throws IllegalArgumentException for an op this forward does not know, or a width above 53 bits
     */
    public static float[] run(IntegerModel model, NDManager parent, float[] input, int batch) {
        try (NDManager m = parent.newSubManager()) {
            int in = model.tensor(model.inputName()).numel();
            NDArray x = m.create(input, new Shape(batch, in));
            for (ModelOp op : model.ops()) {
                x = step(op, x, m);
            }
            return x.toFloatArray();
        }
    }

    private static NDArray step(ModelOp op, NDArray x, NDManager m) {
        if (op instanceof QuantizeFixedOp q) {
            return mantissas(
                    x, uniform(q.formats().k(), q.formats().i(), q.formats().f(), op), q, m);
        }
        if (op instanceof MultipointDenseOp d) {
            if (d.pointAccumulatorBits() > 53 || d.accumulatorBits() > 53) {
                throw new IllegalArgumentException(op.name() + ": accumulators of " + d.pointAccumulatorBits() + "/"
                        + d.accumulatorBits() + " bits are beyond float64's exact 53");
            }
            int k = d.inFeatures();
            int rows = d.rows();
            int out = d.outFeatures();
            int[] codes = d.codes();
            double[] qT = new double[k * rows];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    qT[j * rows + r] = codes[r * k + j];
                }
            }
            double[] mm = new double[rows * out];
            int[] start = d.rowStarts();
            long[] mult = d.multipliers();
            for (int o = 0; o < out; o++) {
                for (int r = start[o]; r < start[o + 1]; r++) {
                    mm[r * out + o] = mult[r];
                }
            }
            long[] bias = d.bias();
            double[] b = new double[out];
            for (int o = 0; o < out; o++) {
                b[o] = bias[o];
            }
            NDArray a = x.matMul(m.create(qT, new Shape(k, rows)));
            return a.matMul(m.create(mm, new Shape(rows, out))).add(m.create(b, new Shape(1, out)));
        }
        if (op instanceof ReluOp) {
            return x.maximum(0.0);
        }
        if (op instanceof RequantizeFixedOp q) {
            FixedFormat f =
                    uniform(q.formats().k(), q.formats().i(), q.formats().f(), op);
            int[] inFrac = q.inputFrac();
            if (inFrac.length != 1) {
                throw new IllegalArgumentException(op.name() + ": per-channel input fractions are not supported here");
            }
            // y·2^-inputFrac is the exact real value (y < 2^53, a power-of-two scale)
            return mantissas(x.mul(Math.scalb(1.0, -inFrac[0])), f, q, m);
        }
        if (op instanceof DequantizeFixedOp d) {
            int[] frac = d.frac();
            if (frac.length != 1) {
                throw new IllegalArgumentException(op.name() + ": per-channel fractions are not supported here");
            }
            return x.mul(Math.scalb(1.0, -frac[0])).toType(DataType.FLOAT32, false);
        }
        throw new IllegalArgumentException(op.name() + ": op " + op.opType() + " is not part of a multipoint MLP");
    }

    private static FixedFormat uniform(int[] k, int[] i, int[] f, ModelOp op) {
        if (k.length != 1) {
            throw new IllegalArgumentException(op.name() + ": per-element formats are not supported here");
        }
        return new FixedFormat(k[0], i[0], f[0]);
    }

    private static NDArray mantissas(NDArray x, FixedFormat f, ModelOp op, NDManager m) {
        org.qat4j.runtime.fixed.RoundingMode r =
                op instanceof QuantizeFixedOp q ? q.rounding() : ((RequantizeFixedOp) op).rounding();
        org.qat4j.runtime.fixed.OverflowMode o =
                op instanceof QuantizeFixedOp q ? q.overflow() : ((RequantizeFixedOp) op).overflow();
        NDArray k = m.create(new float[] {f.k()});
        NDArray i = m.create(new float[] {f.i()});
        NDArray fr = m.create(new float[] {f.f()});
        return FixedPointOps.quantizeToMantissas(x, k, i, fr, r, o).toType(DataType.FLOAT64, false);
    }
}
