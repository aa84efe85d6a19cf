package org.qat4j.a2q.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class L1BallProjectionTest {

    @Test
    void knownProjection() {
        // |v| = (3, 1, 0.5), z = 2: θ = (3 + 1 − 2)/2 = 1 → (2, 0, 0)
        assertArrayEquals(new float[] {2f, 0f, -0f}, L1BallProjection.project(new float[] {3f, -1f, 0.5f}, 2f), 0f);
        assertArrayEquals(new float[] {0.5f, -0.25f}, L1BallProjection.project(new float[] {0.5f, -0.25f}, 1f), 0f);
        assertThrows(IllegalArgumentException.class, () -> L1BallProjection.project(new float[] {1f}, 0f));
    }

    /**
     * Equals the brute-force projection: enumerate every support size ρ, take θ = (sum of the ρ largest − z)/ρ in
     * exact decimal arithmetic, and keep the unique ρ whose θ separates the support from the rest. Values agree up to
     * the float32 rounding of |v| − θ; the support agrees except for entries within a few ulps of θ.
     */
    @Property(tries = 2000)
    void equalsBruteForceProjection(@ForAll @IntRange(min = 1, max = 40) int k, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[k];
        double l1 = 0;
        for (int i = 0; i < k; i++) {
            v[i] = rnd.nextInt(8) == 0 ? 0f : (float) (rnd.nextGaussian() * Math.scalb(1.0, rnd.nextInt(6) - 3));
            l1 += Math.abs(v[i]);
        }
        float z = (float) (l1 * (0.05 + 1.2 * rnd.nextDouble()));
        if (!(z > 0)) {
            return;
        }
        float[] ours = L1BallProjection.project(v, z);
        BigDecimal theta = bruteForceTheta(v, z);
        // float32 error of θ: the running sum of the ρ largest |v| carries ≤ ρ·2^−24 relative error, divided by ρ
        int rho = 0;
        double cumRho = 0;
        for (float x : v) {
            if (new BigDecimal(Math.abs(x)).compareTo(theta) > 0) {
                rho++;
                cumRho += Math.abs(x);
            }
        }
        double thetaTol = rho == 0 ? 0 : (rho + 2) * Math.scalb(1.0, -24) * (cumRho + z) / rho;
        double bruteL1 = 0;
        for (int i = 0; i < k; i++) {
            double exact =
                    Math.max(0, new BigDecimal(Math.abs(v[i])).subtract(theta).doubleValue());
            double tol = 2 * Math.ulp(Math.abs(v[i])) + 2 * Math.ulp(theta.floatValue()) + thetaTol;
            assertTrue(
                    Math.abs(Math.abs(ours[i]) - exact) <= tol,
                    "index " + i + ": ours " + ours[i] + " brute force " + exact + " θ=" + theta);
            assertTrue(ours[i] == 0 || Math.signum(ours[i]) == Math.signum(v[i]));
            bruteL1 += exact;
        }
        assertTrue(bruteL1 <= z * (1 + 1e-6) + 1e-30);
    }

    /** θ of the exact projection (0 if v is inside the ball), found by enumerating supports. */
    static BigDecimal bruteForceTheta(float[] v, float z) {
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal zz = new BigDecimal(z);
        BigDecimal l1 = BigDecimal.ZERO;
        for (float x : v) {
            l1 = l1.add(new BigDecimal(Math.abs(x)));
        }
        if (l1.compareTo(zz) <= 0) {
            return BigDecimal.ZERO;
        }
        int k = v.length;
        BigDecimal[] u = new BigDecimal[k];
        for (int i = 0; i < k; i++) {
            u[i] = new BigDecimal(Math.abs(v[i]));
        }
        java.util.Arrays.sort(u, java.util.Collections.reverseOrder());
        BigDecimal found = null;
        BigDecimal cum = BigDecimal.ZERO;
        for (int rho = 1; rho <= k; rho++) {
            cum = cum.add(u[rho - 1]);
            BigDecimal theta = cum.subtract(zz).divide(BigDecimal.valueOf(rho), mc);
            boolean inside = u[rho - 1].compareTo(theta) > 0;
            boolean outside = rho == k || u[rho].compareTo(theta) <= 0;
            if (inside && outside && theta.signum() >= 0) {
                if (found != null) {
                    assertEquals(0, found.compareTo(theta), "two supports give different θ");
                }
                found = theta;
            }
        }
        assertTrue(found != null, "no consistent support");
        return found;
    }
}
