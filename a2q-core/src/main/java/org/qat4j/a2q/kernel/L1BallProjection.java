package org.qat4j.a2q.kernel;

import java.util.Arrays;

/**
 * Euclidean projection of a vector onto the L1 ball of radius z, by the sort method of Duchi, Shalev-Shwartz,
 * Singer and Chandra, "Efficient Projections onto the L1-Ball for Learning in High Dimensions" (ICML 2008, Fig. 1),
 * as used by EP-init in A2Q+ (arXiv 2401.10432, Sec. 4.2). O(K log K).
 *
 * <pre>
 *   if ‖v‖₁ ≤ z: keep v
 *   u = |v| sorted descending, c_j = u_1 + … + u_j
 *   ρ = max{ j : u_j · j > c_j − z },   θ = (c_ρ − z) / ρ
 *   v ← sign(v) · max(|v| − θ, 0)
 * </pre>
 *
 * <p>The float arithmetic follows the reference implementation step by step (float32 sort and running sum, the
 * test {@code u_j·j > c_j − z} in double against a float32 difference, θ = (c_ρ − z)/ρ in double, the subtraction
 * {@code |v| − θ} in float32), so its output agrees with it bit for bit. The L1 norm used for the early exit is
 * passed in, because the reference takes it from a vectorized float32 reduction whose order plain Java does not
 * reproduce.
 */
public final class L1BallProjection {

    private L1BallProjection() {}

    /**
     * Projects {@code v} onto the L1 ball of radius {@code radius}.
     *
     * @param v the vector (not modified)
     * @param radius z &gt; 0
     * @param l1 ‖v‖₁ as the caller computed it (decides the early exit {@code l1 ≤ z})
     * @return the projection (a new array, or a copy of v if already inside)
     */
    public static float[] project(float[] v, float radius, float l1) {
        if (!(radius > 0) || Float.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be finite and > 0, got " + radius);
        }
        if (l1 <= radius) {
            return v.clone();
        }
        int k = v.length;
        float[] u = new float[k];
        for (int i = 0; i < k; i++) {
            u[i] = Math.abs(v[i]);
        }
        Arrays.sort(u); // ascending; walked backwards below
        float cum = 0f;
        int rho = -1;
        float cumAtRho = 0f;
        for (int j = 0; j < k; j++) {
            float uj = u[k - 1 - j];
            cum += uj;
            if ((double) uj * (j + 1) > (double) (cum - radius)) {
                rho = j;
                cumAtRho = cum;
            }
        }
        // rho ≥ 0 always: for j = 0, u_1 > u_1 − z since z > 0
        double theta = ((double) cumAtRho - (double) radius) / (rho + 1);
        float thetaF = (float) theta;
        float[] out = new float[k];
        for (int i = 0; i < k; i++) {
            float mag = Math.max(Math.abs(v[i]) - thetaF, 0f);
            out[i] = v[i] > 0 ? mag : v[i] < 0 ? -mag : 0f;
        }
        return out;
    }

    /** {@link #project(float[], float, float)} with ‖v‖₁ summed left to right in double. */
    public static float[] project(float[] v, float radius) {
        double l1 = 0;
        for (float x : v) {
            l1 += Math.abs(x);
        }
        return project(v, radius, (float) l1);
    }
}
