package org.qat4j.a2q.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.qat4j.core.engine.NativeArrays;

/**
 * Initialization of the A2Q / A2Q+ parameters from float weights (arXiv 2308.13504, Sec. 4; arXiv 2401.10432,
 * Sec. 4.2), on NDArrays in the reference's float32 order.
 *
 * <ul>
 *   <li>{@code log2 s_c = log2(absmax(v_c) / (2^(M−1) − 1))};</li>
 *   <li>{@code log2 g_c = log2(‖v_c‖₁)} on the raw, uncentered v (also for A2Q+);</li>
 *   <li>EP-init: project each channel onto the L1 ball of radius {@code z_c = s_c·T} ({@link L1BallProjection}),
 *       then {@code log2 g_c ← min(log2 g_c, log2 z_c)}; s is unchanged.</li>
 * </ul>
 */
public final class WeightNormInit {

    private WeightNormInit() {}

    /** {@code log2(absmax(v_c) / (2^(M−1) − 1))}, shape {@code [C, 1]}. A zero channel gives −∞ (s clamps to 1e-10). */
    public static NDArray log2Scale(NDArray v2d, int weightBits) {
        float qMax = (float) ((1L << (weightBits - 1)) - 1);
        return NativeArrays.div(v2d.abs().max(new int[] {1}, true), qMax).log2();
    }

    /** {@code log2(‖v_c‖₁)}, shape {@code [C, 1]}. */
    public static NDArray log2Norm(NDArray v2d) {
        return v2d.norm(1, new int[] {1}, true).log2();
    }

    /** The result of EP-init: the projected weights and the new log2 g. */
    public record EpInit(NDArray weights, NDArray log2Norm) {}

    /**
     * EP-init of {@code v2d} (shape {@code [C, K]}) with post-scales {@code s} (shape {@code [C, 1]}, already
     * {@code 2^log2s}) and the float32 bound T; {@code log2g} is the current norm parameter.
     * Arrays are created in {@code manager}.
     */
    public static EpInit epInit(NDManager manager, NDArray v2d, NDArray s, NDArray log2g, float bound) {
        int c = Math.toIntExact(v2d.getShape().get(0));
        int k = Math.toIntExact(v2d.getShape().get(1));
        NDArray v32 = v2d.toType(DataType.FLOAT32, false);
        float[] all = v32.toFloatArray();
        NDArray radius = NativeArrays.mul(s.toType(DataType.FLOAT32, false), bound); // z = s · T in float32
        float[] z = radius.toFloatArray();
        float[] out = new float[c * k];
        for (int ch = 0; ch < c; ch++) {
            float[] row = new float[k];
            System.arraycopy(all, ch * k, row, 0, k);
            float l1;
            try (NDManager tmp = manager.newSubManager()) {
                l1 = tmp.create(row).abs().sum().getFloat(); // the reference's 1-D float32 reduction
            }
            float[] p = L1BallProjection.project(row, z[ch], l1);
            System.arraycopy(p, 0, out, ch * k, k);
        }
        NDArray projected = NativeArrays.create(manager, out, v2d.getShape()).toType(v2d.getDataType(), false);
        NDArray newLog2g = log2g.minimum(radius.log2().toType(log2g.getDataType(), false));
        return new EpInit(projected, newLog2g);
    }
}
